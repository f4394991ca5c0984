export * from './common';
export * from './customers';
export * from './invoicing';
export * from './inventory';
