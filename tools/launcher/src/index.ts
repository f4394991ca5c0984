export * from './system';
export * from './infrastructure';
