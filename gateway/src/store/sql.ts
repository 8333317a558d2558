/** The minimal query interface both Store implementations provide (PGlite and PostgreSQL speak the same dialect). */
export interface SqlQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** jsonb arrives parsed from pg and PGlite alike, but tolerate text. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** bigint columns arrive as strings from pg, as numbers or bigints from PGlite. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
