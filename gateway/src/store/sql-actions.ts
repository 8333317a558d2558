/**
 * Idempotency records, notification preferences, drafts and coordination (leases, watermarks) over SQL, shared by
 * PGlite and PostgreSQL. Every cross-replica guarantee is one atomic statement; nothing relies on a process lock.
 * Outcomes and drafts are sealed with the session key ring (seal.ts), the row identity as additional data.
 */
import { randomUUID } from 'node:crypto';
import type {
  CoordinationRepository, Draft, DraftRepository, IdempotencyClaim, IdempotencyClaimRequest, IdempotencyRepository,
  NotificationPreference, NotificationPreferenceRepository,
} from './action-types.ts';
import type { Sealer } from './seal.ts';
import { toNumber, type SqlQueryable } from './sql.ts';

interface IdempotencyRow {
  readonly action: string;
  readonly fingerprint: string;
  readonly state: string;
  readonly status: unknown;
  readonly sealed: string | null;
}

const idempotencyRowKey = (subject: string, key: string): string => `idempotency:${subject}:${key}`;

export function createSqlIdempotencyRepository(db: SqlQueryable, sealer: Sealer): IdempotencyRepository {
  async function tryClaim(request: IdempotencyClaimRequest, owner: string): Promise<boolean> {
    const result = await db.query<{ owner: string }>(
      `INSERT INTO sprout_idempotency (subject, key, action, fingerprint, state, owner, claimed_at)
       VALUES ($1, $2, $3, $4, 'running', $5, $6)
       ON CONFLICT (subject, key) DO UPDATE SET owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at
         WHERE sprout_idempotency.state = 'running' AND sprout_idempotency.claimed_at < $7
           AND sprout_idempotency.action = EXCLUDED.action AND sprout_idempotency.fingerprint = EXCLUDED.fingerprint
       RETURNING owner`,
      [request.subject, request.key, request.action, request.fingerprint, owner, request.now, request.now - request.staleAfterMs],
    );
    return result.rows[0]?.owner === owner;
  }

  return {
    async claim(request) {
      // A row can vanish between the insert and the read (released by its owner): try again, a bounded number of times.
      for (let attempt = 0; attempt < 3; attempt++) {
        const owner = randomUUID();
        if (await tryClaim(request, owner)) return { kind: 'claimed', owner };
        const result = await db.query<IdempotencyRow>(
          'SELECT action, fingerprint, state, status, sealed FROM sprout_idempotency WHERE subject = $1 AND key = $2',
          [request.subject, request.key],
        );
        const row = result.rows[0];
        if (row === undefined) continue;
        if (row.action !== request.action || row.fingerprint !== request.fingerprint) return { kind: 'mismatch' };
        if (row.state !== 'done' || row.sealed === null) return { kind: 'in-progress' };
        const plaintext = sealer.open(row.sealed, idempotencyRowKey(request.subject, request.key));
        // An outcome no key opens any more cannot be replayed; refusing is safer than running the action twice.
        if (plaintext === undefined) return { kind: 'mismatch' };
        return { kind: 'replay', outcome: { status: toNumber(row.status), body: JSON.parse(plaintext) as unknown } } satisfies IdempotencyClaim;
      }
      return { kind: 'in-progress' };
    },
    async complete(subject, key, owner, outcome, now) {
      const sealed = sealer.seal(JSON.stringify(outcome.body ?? null), idempotencyRowKey(subject, key));
      const result = await db.query<{ key: string }>(
        `UPDATE sprout_idempotency SET state = 'done', status = $4, sealed = $5, completed_at = $6
         WHERE subject = $1 AND key = $2 AND owner = $3 AND state = 'running' RETURNING key`,
        [subject, key, owner, outcome.status, sealed, now],
      );
      return result.rows.length === 1;
    },
    async release(subject, key, owner) {
      await db.query(`DELETE FROM sprout_idempotency WHERE subject = $1 AND key = $2 AND owner = $3 AND state = 'running'`, [subject, key, owner]);
    },
    async prune(before) {
      const result = await db.query<{ key: string }>('DELETE FROM sprout_idempotency WHERE claimed_at < $1 RETURNING key', [before]);
      return result.rows.length;
    },
  };
}

export function createSqlNotificationPreferenceRepository(db: SqlQueryable): NotificationPreferenceRepository {
  return {
    async get(person) {
      const result = await db.query<{ person: string; email_enabled: boolean; language: string; updated_at: unknown }>(
        'SELECT person, email_enabled, language, updated_at FROM sprout_notification_preferences WHERE person = $1',
        [person],
      );
      const row = result.rows[0];
      return row === undefined
        ? undefined
        : { person: row.person, emailEnabled: row.email_enabled, language: row.language, updatedAt: toNumber(row.updated_at) };
    },
    async put(preference: NotificationPreference) {
      await db.query(
        `INSERT INTO sprout_notification_preferences (person, email_enabled, language, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person) DO UPDATE SET email_enabled = EXCLUDED.email_enabled, language = EXCLUDED.language, updated_at = EXCLUDED.updated_at`,
        [preference.person, preference.emailEnabled, preference.language, preference.updatedAt],
      );
    },
  };
}

interface DraftRow {
  readonly owner: string;
  readonly id: string;
  readonly kind: string;
  readonly updated_at: unknown;
  readonly sealed: string;
}

const draftRowKey = (owner: string, id: string): string => `draft:${owner}:${id}`;

export function createSqlDraftRepository(db: SqlQueryable, sealer: Sealer): DraftRepository {
  function open(row: DraftRow): Draft | undefined {
    const plaintext = sealer.open(row.sealed, draftRowKey(row.owner, row.id));
    if (plaintext === undefined) return undefined;
    return { owner: row.owner, id: row.id, kind: row.kind, updatedAt: toNumber(row.updated_at), data: JSON.parse(plaintext) as unknown };
  }
  return {
    async put(draft) {
      await db.query(
        `INSERT INTO sprout_drafts (owner, id, kind, updated_at, sealed) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (owner, id) DO UPDATE SET kind = EXCLUDED.kind, updated_at = EXCLUDED.updated_at, sealed = EXCLUDED.sealed`,
        [draft.owner, draft.id, draft.kind, draft.updatedAt, sealer.seal(JSON.stringify(draft.data ?? null), draftRowKey(draft.owner, draft.id))],
      );
    },
    async get(owner, id) {
      const result = await db.query<DraftRow>('SELECT owner, id, kind, updated_at, sealed FROM sprout_drafts WHERE owner = $1 AND id = $2', [owner, id]);
      const row = result.rows[0];
      return row === undefined ? undefined : open(row);
    },
    async list(owner, kind) {
      const result = await db.query<DraftRow>(
        'SELECT owner, id, kind, updated_at, sealed FROM sprout_drafts WHERE owner = $1 AND kind = $2 ORDER BY updated_at DESC, id',
        [owner, kind],
      );
      return result.rows.map(open).filter((d): d is Draft => d !== undefined);
    },
    async delete(owner, id) {
      const result = await db.query<{ id: string }>('DELETE FROM sprout_drafts WHERE owner = $1 AND id = $2 RETURNING id', [owner, id]);
      return result.rows.length > 0;
    },
  };
}

export function createSqlCoordinationRepository(db: SqlQueryable): CoordinationRepository {
  return {
    async acquireLease(name, owner, now, ttlMs) {
      const result = await db.query<{ owner: string }>(
        `INSERT INTO sprout_leases (name, owner, until) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
           WHERE sprout_leases.owner = EXCLUDED.owner OR sprout_leases.until < $4
         RETURNING owner`,
        [name, owner, now + ttlMs, now],
      );
      return result.rows[0]?.owner === owner;
    },
    async releaseLease(name, owner) {
      await db.query('DELETE FROM sprout_leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
    async getWatermark(name) {
      const result = await db.query<{ value: string }>('SELECT value FROM sprout_watermarks WHERE name = $1', [name]);
      return result.rows[0]?.value;
    },
    async setWatermark(name, value, now) {
      await db.query(
        `INSERT INTO sprout_watermarks (name, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [name, value, now],
      );
    },
  };
}
