/** Every entity and migration of the customers service (its own schema, `customers` by default). */
export const ENTITIES: Function[] = [];
export const MIGRATIONS: Function[] = [];
