/**
 * The audit trail's hash chain, pure. Each row carries `hash = SHA-256(canonical JSON of {v, seq, kind, prev, data,
 * anchor})`, where `prev` is the previous row's hash (GENESIS_HASH before the first row). Rows are numbered by `seq`
 * without gaps. Retention pruning removes a prefix and appends a `prune` row whose anchor names the last removed
 * row's seq and hash, so the first remaining row can still be checked.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditRowKind = 'event' | 'prune';

/** What a prune row records about the prefix it removed. */
export interface PruneAnchor {
  readonly prunedThroughSeq: number;
  readonly prunedThroughHash: string;
  readonly removed: number;
  /** ISO instant: records recorded before it were eligible. */
  readonly before: string;
}

export interface ChainedRow {
  readonly seq: number;
  readonly id: string;
  readonly kind: AuditRowKind;
  readonly data: unknown;
  readonly anchor: PruneAnchor | null;
  readonly prevHash: string;
  readonly hash: string;
  /** The id, recorded and patient columns agree with data (they are what queries use). */
  readonly columnsMatch: boolean;
}

/** JSON with object keys sorted at every level (the bytes hashed; jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function rowHash(row: { readonly seq: number; readonly kind: AuditRowKind; readonly data: unknown; readonly anchor: PruneAnchor | null; readonly prevHash: string }): string {
  const body = canonicalJson({ v: 1, seq: row.seq, kind: row.kind, prev: row.prevHash, data: row.data, anchor: row.anchor });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly head: { readonly seq: number; readonly hash: string } | undefined }
  | { readonly ok: false; readonly rows: number; readonly broken: { readonly seq: number; readonly id: string; readonly problem: string } };

function isAnchor(value: unknown): value is PruneAnchor {
  if (value === null || typeof value !== 'object') return false;
  const a = value as Record<string, unknown>;
  return Number.isSafeInteger(a['prunedThroughSeq']) && typeof a['prunedThroughHash'] === 'string' && Number.isSafeInteger(a['removed']) && typeof a['before'] === 'string';
}

/**
 * Checks rows in seq order, page by page: feed every page to `check`, then call `finish`. `pruneAnchors` are the
 * anchors of every prune row in the table (a pruned prefix must be accounted for by one of them).
 */
export function createChainVerifier(pruneAnchors: readonly PruneAnchor[]) {
  let previous: ChainedRow | undefined;
  let rows = 0;
  let broken: { seq: number; id: string; problem: string } | undefined;

  function problemWith(row: ChainedRow): string | undefined {
    if (row.kind !== 'event' && row.kind !== 'prune') return `unknown kind "${String(row.kind)}"`;
    if (row.kind === 'prune' && !isAnchor(row.anchor)) return 'prune row without a valid anchor';
    if (row.kind === 'event' && row.anchor !== null) return 'event row with an anchor';
    if (previous === undefined) {
      if (row.seq === 1) {
        if (row.prevHash !== GENESIS_HASH) return 'the first row does not start from the genesis hash';
      } else if (!pruneAnchors.some((a) => a.prunedThroughSeq === row.seq - 1 && a.prunedThroughHash === row.prevHash)) {
        return `rows before seq ${row.seq} are missing and no prune record accounts for them`;
      }
    } else {
      if (row.seq !== previous.seq + 1) return `rows ${previous.seq + 1}…${row.seq - 1} are missing`;
      if (row.prevHash !== previous.hash) return 'its previous-hash does not match the row before it';
    }
    if (rowHash(row) !== row.hash) return 'its content does not match its hash (edited)';
    if (!row.columnsMatch) return 'its id, recorded or patient column does not match its content (edited)';
    return undefined;
  }

  return {
    /** False once a broken row is found (stop reading). */
    check(page: readonly ChainedRow[]): boolean {
      for (const row of page) {
        if (broken !== undefined) return false;
        const problem = problemWith(row);
        if (problem !== undefined) {
          broken = { seq: row.seq, id: row.id, problem };
          return false;
        }
        previous = row;
        rows += 1;
      }
      return true;
    },
    finish(): AuditVerification {
      if (broken !== undefined) return { ok: false, rows, broken };
      return { ok: true, rows, head: previous === undefined ? undefined : { seq: previous.seq, hash: previous.hash } };
    },
  };
}
