/** Every entity and migration of the inventory service (its own schema, `inventory` by default). */
export const ENTITIES: Function[] = [];
export const MIGRATIONS: Function[] = [];
