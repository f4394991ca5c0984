import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` arrives as text; amounts are plain numbers in the service. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};
