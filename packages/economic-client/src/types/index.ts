export * from './common';
export * from './self';
export * from './customers';
export * from './products';
export * from './reference-data';
export * from './invoices';
export * from './journals';
