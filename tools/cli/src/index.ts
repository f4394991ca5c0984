export * from './gateway-client';
export * from './table';
export { backfill, parseArgs } from './backfill';
export * from './chaos';
