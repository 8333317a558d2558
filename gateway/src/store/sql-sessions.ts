/**
 * Sessions over SQL: one row per session, keyed by sessionRowKey(id), holding the whole session sealed (seal.ts).
 * Only what the database must compare stays in clear: the two instants that expiry needs and the principal's
 * fhirUser ("sign out everywhere"). Each implementation supplies its own lock (see pglite-store.ts, postgres-store.ts).
 */
import type { Session } from '../session/types.ts';
import { sessionRowKey, type Sealer } from './seal.ts';
import { toNumber, type SqlQueryable } from './sql.ts';
import type { SessionExpiryLimits, SessionRepository } from './types.ts';

interface SessionRow {
  readonly key: string;
  readonly created_at: unknown;
  readonly last_seen_at: unknown;
  readonly sealed: string;
}

const RETURNING = 'RETURNING key, created_at, last_seen_at, sealed';

/** Locks on a row key; the repository hashes the id first, so the raw id reaches no lock table either. */
export type RowLock = <T>(rowKey: string, fn: () => Promise<T>) => Promise<T>;

export function createSqlSessionRepository(db: SqlQueryable, sealer: Sealer, lock: RowLock): SessionRepository {
  function sealRow(session: Session, key: string): unknown[] {
    const { id: _id, ...payload } = session;
    return [key, session.createdAt, session.lastSeenAt, session.principal?.fhirUser ?? null, sealer.seal(JSON.stringify(payload), key)];
  }

  /** The stored session, or undefined when no configured key opens it (dropped key, tampered row). */
  function openRow(row: SessionRow, id: string): Session | undefined {
    const plaintext = sealer.open(row.sealed, row.key);
    if (plaintext === undefined) return undefined;
    let payload: Omit<Session, 'id'>;
    try {
      payload = JSON.parse(plaintext) as Omit<Session, 'id'>;
    } catch {
      return undefined;
    }
    return { ...payload, id, createdAt: toNumber(row.created_at), lastSeenAt: toNumber(row.last_seen_at) };
  }

  function openRemoved(rows: readonly SessionRow[]): Session[] {
    return rows.map((row) => openRow(row, row.key)).filter((s): s is Session => s !== undefined);
  }

  return {
    async create(session: Session) {
      await db.query('INSERT INTO sprout_sessions (key, created_at, last_seen_at, fhir_user, sealed) VALUES ($1, $2, $3, $4, $5)', sealRow(session, sessionRowKey(session.id)));
    },
    async get(id: string) {
      const result = await db.query<SessionRow>('SELECT key, created_at, last_seen_at, sealed FROM sprout_sessions WHERE key = $1', [sessionRowKey(id)]);
      const row = result.rows[0];
      return row === undefined ? undefined : openRow(row, id);
    },
    async put(session: Session) {
      await db.query(
        `INSERT INTO sprout_sessions (key, created_at, last_seen_at, fhir_user, sealed) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (key) DO UPDATE SET created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at,
           fhir_user = EXCLUDED.fhir_user, sealed = EXCLUDED.sealed`,
        sealRow(session, sessionRowKey(session.id)),
      );
    },
    async delete(id: string) {
      const result = await db.query<SessionRow>(`DELETE FROM sprout_sessions WHERE key = $1 ${RETURNING}`, [sessionRowKey(id)]);
      const row = result.rows[0];
      return row === undefined ? undefined : openRow(row, id);
    },
    async touch(id: string, lastSeenAt: number) {
      await db.query('UPDATE sprout_sessions SET last_seen_at = $2 WHERE key = $1', [sessionRowKey(id), lastSeenAt]);
    },
    async deleteExpired(now: number, limits: SessionExpiryLimits) {
      const result = await db.query<SessionRow>(
        `DELETE FROM sprout_sessions WHERE last_seen_at < $1 OR created_at < $2 OR (fhir_user IS NULL AND created_at < $3) ${RETURNING}`,
        [now - limits.idleMs, now - limits.maxAgeMs, now - limits.pendingMs],
      );
      return openRemoved(result.rows);
    },
    async deleteForUser(fhirUser: string) {
      const result = await db.query<SessionRow>(`DELETE FROM sprout_sessions WHERE fhir_user = $1 ${RETURNING}`, [fhirUser]);
      return openRemoved(result.rows);
    },
    withLock: (id, fn) => lock(sessionRowKey(id), fn),
  };
}
