export * from './system';
export * from './infrastructure';
export * from './private-servers';
