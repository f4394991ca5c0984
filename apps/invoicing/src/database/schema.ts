/** Every entity and migration of the invoicing service (its own schema, `invoicing` by default). */
export const ENTITIES: Function[] = [];
export const MIGRATIONS: Function[] = [];
