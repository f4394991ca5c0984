import {
  CustomerContactEntity, CustomerEntity, CustomerLinkEntity, NumberSequenceEntity, PendingCreationEntity,
} from '../modules/customers/entities';
import { CustomersTables1767000001000 } from './migrations/1767000001000-customers-tables';

/** Every entity and migration of the customers service (its own schema, `customers` by default). */
export const ENTITIES: Function[] = [CustomerLinkEntity, CustomerEntity, CustomerContactEntity, NumberSequenceEntity, PendingCreationEntity];
export const MIGRATIONS: Function[] = [CustomersTables1767000001000];
