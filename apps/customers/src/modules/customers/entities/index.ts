export * from './customer-link.entity';
export * from './customer.entity';
export * from './customer-contact.entity';
export * from './number-sequence.entity';
export * from './pending-creation.entity';
