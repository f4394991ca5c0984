/** Every entity and migration of the gateway service (its own schema, `gateway` by default). */
export const ENTITIES: Function[] = [];
export const MIGRATIONS: Function[] = [];
