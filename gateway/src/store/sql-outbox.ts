/**
 * The email outbox over SQL. enqueue is idempotent on dedupe_key (a UNIQUE column), lease takes due rows with
 * `FOR UPDATE SKIP LOCKED` inside one UPDATE, and only the lease holder may finish a row — so with any number of
 * replicas on one PostgreSQL each row is handed to one sender at a time. The payload (address, template values) is
 * sealed at rest.
 */
import type { OutboxEmail, OutboxItem, OutboxRepository } from './action-types.ts';
import type { Sealer } from './seal.ts';
import { toNumber, type SqlQueryable } from './sql.ts';

interface OutboxRow {
  readonly id: unknown;
  readonly dedupe_key: string;
  readonly recipient: string;
  readonly sealed: string;
  readonly status: OutboxItem['status'];
  readonly attempts: unknown;
  readonly next_attempt_at: unknown;
  readonly created_at: unknown;
  readonly sent_at: unknown;
  readonly last_error: string | null;
}

const COLUMNS = 'id, dedupe_key, recipient, sealed, status, attempts, next_attempt_at, created_at, sent_at, last_error';
const rowKey = (dedupeKey: string): string => `outbox:${dedupeKey}`;

type SealedPayload = Pick<OutboxEmail, 'to' | 'language' | 'template' | 'params'>;

export function createSqlOutboxRepository(db: SqlQueryable, sealer: Sealer): OutboxRepository {
  function toItem(row: OutboxRow): OutboxItem | undefined {
    const plaintext = sealer.open(row.sealed, rowKey(row.dedupe_key));
    if (plaintext === undefined) return undefined;
    const payload = JSON.parse(plaintext) as SealedPayload;
    return {
      id: String(row.id),
      dedupeKey: row.dedupe_key,
      recipient: row.recipient,
      ...payload,
      status: row.status,
      attempts: toNumber(row.attempts),
      nextAttemptAt: toNumber(row.next_attempt_at),
      createdAt: toNumber(row.created_at),
      ...(row.sent_at === null ? {} : { sentAt: toNumber(row.sent_at) }),
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
    };
  }
  const toItems = (rows: readonly OutboxRow[]): OutboxItem[] => rows.map(toItem).filter((i): i is OutboxItem => i !== undefined);

  return {
    async enqueue(email, now) {
      const payload: SealedPayload = { to: email.to, language: email.language, template: email.template, params: email.params };
      const result = await db.query<{ id: unknown }>(
        `INSERT INTO sprout_outbox (dedupe_key, recipient, sealed, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [email.dedupeKey, email.recipient, sealer.seal(JSON.stringify(payload), rowKey(email.dedupeKey)), now],
      );
      return result.rows.length === 1;
    },
    async lease(owner, now, leaseMs, limit) {
      const result = await db.query<OutboxRow>(
        `UPDATE sprout_outbox SET status = 'sending', lease_owner = $1, lease_until = $2, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM sprout_outbox
           WHERE (status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3)
           ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [owner, now + leaseMs, now, limit],
      );
      return toItems(result.rows).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || Number(a.id) - Number(b.id));
    },
    async markSent(id, owner, now) {
      const result = await db.query<{ id: unknown }>(
        `UPDATE sprout_outbox SET status = 'sent', sent_at = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL
         WHERE id = $1 AND lease_owner = $2 AND status = 'sending' RETURNING id`,
        [id, owner, now],
      );
      return result.rows.length === 1;
    },
    async markFailed(id, owner, error, retryAt) {
      const result = await db.query<{ id: unknown }>(
        `UPDATE sprout_outbox SET status = $4, next_attempt_at = COALESCE($5, next_attempt_at), last_error = $3,
           lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND lease_owner = $2 AND status = 'sending' RETURNING id`,
        [id, owner, error.slice(0, 500), retryAt === undefined ? 'failed' : 'pending', retryAt ?? null],
      );
      return result.rows.length === 1;
    },
    async list(options) {
      const result = await db.query<OutboxRow>(`SELECT ${COLUMNS} FROM sprout_outbox ORDER BY id DESC LIMIT $1`, [options?.limit ?? 100]);
      return toItems(result.rows);
    },
  };
}
