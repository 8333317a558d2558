/**
 * The audit trail over SQL: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE, see migrations.ts) and
 * hash-chained (audit-chain.ts). Appends and pruning run inside `inAuditLock`: a transaction holding the one audit
 * lock (an advisory lock on PostgreSQL), so replicas sharing the database append one after another and the chain
 * cannot fork (the unique seq index would refuse a fork anyway).
 */
import { randomUUID } from 'node:crypto';
import { createChainVerifier, GENESIS_HASH, rowHash, type AuditRowKind, type ChainedRow, type PruneAnchor } from './audit-chain.ts';
import { parseJson, toNumber, type SqlQueryable } from './sql.ts';
import type { AuditRecord, AuditRepository, AuditTrail } from './types.ts';

/** Runs fn in a transaction that holds the audit-trail lock. */
export type AuditTransaction = <T>(fn: (tx: SqlQueryable) => Promise<T>) => Promise<T>;

/** The session flag the append-only trigger lets DELETE through for; set transaction-locally by prune() only. */
export const PRUNE_FLAG = 'sprout.audit_prune';

const VERIFY_PAGE = 1000;

async function appendRow(tx: SqlQueryable, record: AuditRecord, kind: AuditRowKind, anchor: PruneAnchor | null): Promise<void> {
  const last = (await tx.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM sprout_audit ORDER BY seq DESC LIMIT 1')).rows[0];
  const seq = last === undefined ? 1 : toNumber(last.seq) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const data: unknown = JSON.parse(JSON.stringify(record));
  const hash = rowHash({ seq, kind, data, anchor, prevHash });
  await tx.query(
    `INSERT INTO sprout_audit (id, recorded, patient, data, seq, kind, anchor, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4::jsonb, $5, $6, $7::jsonb, $8, $9)`,
    [record.id, record.recorded, record.patient ?? null, JSON.stringify(data), seq, kind, anchor === null ? null : JSON.stringify(anchor), prevHash, hash],
  );
}

/** Chain the rows of an unchained (version-1) table in recorded order. Used once, by the migration. */
export async function chainExistingRows(db: SqlQueryable): Promise<void> {
  const rows = (await db.query<{ id: string; data: unknown }>('SELECT id, data FROM sprout_audit ORDER BY recorded, id')).rows;
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const row of rows) {
    seq += 1;
    const data = parseJson<unknown>(row.data);
    const hash = rowHash({ seq, kind: 'event', data, anchor: null, prevHash });
    await db.query('UPDATE sprout_audit SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1', [row.id, seq, prevHash, hash]);
    prevHash = hash;
  }
}

interface StoredRow {
  readonly seq: unknown;
  readonly id: string;
  readonly kind: AuditRowKind;
  readonly data: unknown;
  readonly anchor: unknown;
  readonly prev_hash: string;
  readonly hash: string;
  readonly recorded_ms: unknown;
  readonly patient: string | null;
}

function toChainedRow(row: StoredRow): ChainedRow {
  const data = parseJson<unknown>(row.data);
  const fields = (data !== null && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const columnsMatch =
    fields['id'] === row.id &&
    typeof fields['recorded'] === 'string' &&
    Math.abs(Date.parse(fields['recorded']) - toNumber(row.recorded_ms)) < 1 &&
    (fields['patient'] ?? null) === row.patient;
  const anchor = row.anchor === null ? null : parseJson<PruneAnchor>(row.anchor);
  return { seq: toNumber(row.seq), id: row.id, kind: row.kind, data, anchor, prevHash: row.prev_hash, hash: row.hash, columnsMatch };
}

export function createSqlAuditRepository(db: SqlQueryable, inAuditLock: AuditTransaction): AuditRepository & AuditTrail {
  return {
    async append(record: AuditRecord) {
      await inAuditLock((tx) => appendRow(tx, record, 'event', null));
    },

    async listForPatient(patient: string, options?: { limit?: number }) {
      const limit = Math.max(1, Math.min(options?.limit ?? 100, 1000));
      const result = await db.query<{ data: unknown }>(
        `SELECT data FROM sprout_audit WHERE patient = $1 AND kind = 'event' ORDER BY recorded DESC, seq DESC LIMIT $2`,
        [patient, limit],
      );
      return result.rows.map((row) => parseJson<AuditRecord>(row.data));
    },

    async verify() {
      const anchors = (await db.query<{ anchor: unknown }>(`SELECT anchor FROM sprout_audit WHERE kind = 'prune' AND anchor IS NOT NULL`)).rows.map((r) =>
        parseJson<PruneAnchor>(r.anchor),
      );
      const verifier = createChainVerifier(anchors);
      let after = 0;
      for (;;) {
        const page = (
          await db.query<StoredRow>(
            `SELECT seq, id, kind, data, anchor, prev_hash, hash, patient, (extract(epoch FROM recorded) * 1000)::float8 AS recorded_ms
             FROM sprout_audit WHERE seq > $1 ORDER BY seq LIMIT ${VERIFY_PAGE}`,
            [after],
          )
        ).rows.map(toChainedRow);
        if (page.length === 0 || !verifier.check(page)) break;
        after = page[page.length - 1]!.seq;
      }
      return verifier.finish();
    },

    async prune(before: string, recorded: string) {
      return inAuditLock(async (tx) => {
        const keepFrom = (await tx.query<{ seq: unknown }>('SELECT min(seq) AS seq FROM sprout_audit WHERE recorded >= $1::timestamptz', [before])).rows[0]?.seq;
        const bounds = (await tx.query<{ first: unknown; last: unknown }>('SELECT min(seq) AS first, max(seq) AS last FROM sprout_audit')).rows[0];
        if (bounds === undefined || bounds.first === null) return 0;
        const through = keepFrom === null || keepFrom === undefined ? toNumber(bounds.last) : toNumber(keepFrom) - 1;
        if (through < toNumber(bounds.first)) return 0;
        const throughHash = (await tx.query<{ hash: string }>('SELECT hash FROM sprout_audit WHERE seq = $1', [through])).rows[0]?.hash ?? GENESIS_HASH;
        await tx.query(`SELECT set_config('${PRUNE_FLAG}', 'on', true)`);
        const removed = (await tx.query<{ seq: unknown }>('DELETE FROM sprout_audit WHERE seq <= $1 RETURNING seq', [through])).rows.length;
        await tx.query(`SELECT set_config('${PRUNE_FLAG}', 'off', true)`);
        const anchor: PruneAnchor = { prunedThroughSeq: through, prunedThroughHash: throughHash, removed, before };
        await appendRow(
          tx,
          {
            id: randomUUID(),
            recorded,
            requestId: 'audit-retention',
            actor: 'sprout-gateway',
            action: 'prune',
            query: `audit retention: records before ${before}`,
            outcome: 'allowed',
            returned: [],
            withheld: [],
            reasons: ['audit-retention'],
          },
          'prune',
          anchor,
        );
        return removed;
      });
    },
  };
}
