/**
 * The SQL shared by both Store implementations (PGlite and PostgreSQL speak the same dialect), over a minimal
 * query interface. Sessions are one JSONB document each, with the two instants that expiry needs as columns.
 * Each implementation supplies its own lock (see pglite-store.ts, postgres-store.ts).
 */
import type { Session } from '../session/types.ts';
import type { AuditRecord, AuditRepository, SessionRepository, Store } from './types.ts';

export interface SqlQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** Ordered, append-only. A released migration is never edited; add a new one. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sprout_sessions (
        id text PRIMARY KEY,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX sprout_sessions_last_seen ON sprout_sessions (last_seen_at);
      CREATE INDEX sprout_sessions_created ON sprout_sessions (created_at);
      CREATE TABLE sprout_audit (
        id text PRIMARY KEY,
        recorded timestamptz NOT NULL,
        patient text,
        data jsonb NOT NULL
      );
      CREATE INDEX sprout_audit_patient_recorded ON sprout_audit (patient, recorded DESC);
    `,
  },
];

/** Apply pending migrations. The caller guarantees exclusivity (a transaction plus, on PostgreSQL, an advisory lock). */
export async function applyMigrations(db: SqlQueryable): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS sprout_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = await db.query<{ version: number }>('SELECT version FROM sprout_schema_migrations');
  const done = new Set(applied.rows.map((r) => Number(r.version)));
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.sql.split(';').map((s) => s.trim()).filter((s) => s !== '')) await db.query(statement);
    await db.query('INSERT INTO sprout_schema_migrations (version) VALUES ($1)', [migration.version]);
  }
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function createSqlSessionRepository(db: SqlQueryable, withLock: SessionRepository['withLock']): SessionRepository {
  return {
    async create(session: Session) {
      await db.query('INSERT INTO sprout_sessions (id, created_at, last_seen_at, data) VALUES ($1, $2, $3, $4::jsonb)', [
        session.id,
        session.createdAt,
        session.lastSeenAt,
        JSON.stringify(session),
      ]);
    },
    async get(id: string) {
      const result = await db.query<{ data: unknown }>('SELECT data FROM sprout_sessions WHERE id = $1', [id]);
      const row = result.rows[0];
      return row === undefined ? undefined : parseJson<Session>(row.data);
    },
    async put(session: Session) {
      await db.query(
        `INSERT INTO sprout_sessions (id, created_at, last_seen_at, data) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at, data = EXCLUDED.data`,
        [session.id, session.createdAt, session.lastSeenAt, JSON.stringify(session)],
      );
    },
    async delete(id: string) {
      await db.query('DELETE FROM sprout_sessions WHERE id = $1', [id]);
    },
    async touch(id: string, lastSeenAt: number) {
      await db.query(
        `UPDATE sprout_sessions SET last_seen_at = $2, data = jsonb_set(data, '{lastSeenAt}', to_jsonb($2::bigint)) WHERE id = $1`,
        [id, lastSeenAt],
      );
    },
    async deleteExpired(now: number, idleMs: number, maxAgeMs: number) {
      const result = await db.query<{ id: string }>('DELETE FROM sprout_sessions WHERE last_seen_at < $1 OR created_at < $2 RETURNING id', [
        now - idleMs,
        now - maxAgeMs,
      ]);
      return result.rows.length;
    },
    withLock,
  };
}

export function createSqlAuditRepository(db: SqlQueryable): AuditRepository {
  return {
    async append(record: AuditRecord) {
      await db.query('INSERT INTO sprout_audit (id, recorded, patient, data) VALUES ($1, $2::timestamptz, $3, $4::jsonb)', [
        record.id,
        record.recorded,
        record.patient ?? null,
        JSON.stringify(record),
      ]);
    },
    async listForPatient(patient: string, options?: { limit?: number }) {
      const limit = Math.max(1, Math.min(options?.limit ?? 100, 1000));
      const result = await db.query<{ data: unknown }>('SELECT data FROM sprout_audit WHERE patient = $1 ORDER BY recorded DESC, id DESC LIMIT $2', [
        patient,
        limit,
      ]);
      return result.rows.map((row) => parseJson<AuditRecord>(row.data));
    },
  };
}

export type { Store };
