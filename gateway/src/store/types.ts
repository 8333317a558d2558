/**
 * The gateway's persistent state behind one interface, with two implementations: embedded PGlite (default, data in
 * a folder) and PostgreSQL (DATABASE_URL). Sessions, and the audit trail of every facade decision.
 */
import type { Session } from '../session/types.ts';
import type { AuditVerification } from './audit-chain.ts';
import type {
  CoordinationRepository, DraftRepository, IdempotencyRepository, NotificationPreferenceRepository, OutboxRepository,
} from './action-types.ts';

export type { AuditVerification } from './audit-chain.ts';
export type * from './action-types.ts';

/**
 * One facade decision, in a shape that maps onto FHIR AuditEvent:
 * agent = actor (+ onBehalfOf), entity = patient + returned/withheld references, outcome, recorded, source = requestId.
 */
export interface AuditRecord {
  readonly id: string;
  /** ISO 8601 instant. */
  readonly recorded: string;
  readonly requestId: string;
  /** fhirUser of the signed-in person. */
  readonly actor: string;
  /** "Patient/<id>" the request was about, when there was one. */
  readonly patient?: string;
  /** read | vread | history | search | batch | binary | operation */
  readonly action: string;
  /** Method and path+query as asked (no tokens, no cookies). */
  readonly query: string;
  /** allowed: all returned; filtered: some withheld; denied: refused; error: failed closed. */
  readonly outcome: 'allowed' | 'filtered' | 'denied' | 'error';
  /** Relative references returned to the browser. */
  readonly returned: readonly string[];
  /** Relative references withheld by policy (server-side only; never shown to the family). */
  readonly withheld: readonly string[];
  /** Policy reason codes that applied. */
  readonly reasons: readonly string[];
}

export interface AuditRepository {
  append(record: AuditRecord): Promise<void>;
  /** The patient-facing view: who viewed this patient's record and when, newest first. */
  listForPatient(patient: string, options?: { limit?: number }): Promise<readonly AuditRecord[]>;
}

/**
 * Maintenance of the audit trail (append-only and hash-chained in the database): checking the chain, and retention.
 * Pruning is the only way rows leave, and it appends a record of itself that anchors the chain's new start.
 */
export interface AuditTrail {
  /** Check every row's hash and link; names the first broken row. */
  verify(): Promise<AuditVerification>;
  /** Remove the oldest records, those recorded before `before` (ISO), appending a prune record at `recorded`. Returns how many. */
  prune(before: string, recorded: string): Promise<number>;
}

export interface SessionRepository {
  /**
   * Sessions are stored sealed (AES-256-GCM, see seal.ts) in rows keyed by a hash of the id: the raw id and the
   * tokens never reach the database in clear. `get(id)` returns the session with the `id` it was asked for.
   */
  create(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** Replace the session (the implementation may compare-and-set on a version it keeps). */
  put(session: Session): Promise<void>;
  /** Removes the session and returns what was stored (tokens decrypted, `id` as given), or undefined. */
  delete(id: string): Promise<Session | undefined>;
  /**
   * Record activity: set lastSeenAt only, leaving every other field as stored. (A read-modify-put here could write
   * back a refresh token that a concurrent request has just rotated.)
   */
  touch(id: string, lastSeenAt: number): Promise<void>;
  /**
   * Removes sessions idle past idleMs, older than maxAgeMs, and pre-sign-in sessions (no principal) older than
   * pendingMs. Returns the removed sessions (tokens decrypted) so the caller can revoke; their `id` is the row key
   * (a hash: the raw id is not recoverable). Rows that no configured key can open are removed and not returned.
   */
  deleteExpired(now: number, limits: SessionExpiryLimits): Promise<readonly Session[]>;
  /** "Sign out everywhere": removes every session whose principal.fhirUser is fhirUser; returns them (`id` = row key). */
  deleteForUser(fhirUser: string): Promise<readonly Session[]>;
  /**
   * Run fn while holding an exclusive lock on this session id, across processes sharing the database
   * (refresh tokens must be spent once, even by concurrent requests on several gateway replicas).
   */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

export interface SessionExpiryLimits {
  readonly idleMs: number;
  readonly maxAgeMs: number;
  /** Life of a pre-sign-in session (an authorization in flight): 10 minutes in production. */
  readonly pendingMs: number;
}

/** Staff-cleared block on new sessions for one account ("someone else accessed my account"). */
export interface AccountBlock {
  readonly fhirUser: string;
  readonly reason: string;
  /** ISO 8601 instant. */
  readonly blockedAt: string;
}

export interface AccountBlockRepository {
  /** Idempotent: blocking a blocked account keeps the first block. */
  block(block: AccountBlock): Promise<void>;
  isBlocked(fhirUser: string): Promise<boolean>;
  /** True when a block was removed. */
  clear(fhirUser: string): Promise<boolean>;
  /** Every block, oldest first. */
  list(): Promise<readonly AccountBlock[]>;
}

export interface Store {
  readonly sessions: SessionRepository;
  readonly audit: AuditRepository;
  readonly accountBlocks: AccountBlockRepository;
  readonly auditTrail: AuditTrail;
  /** Actions and notifications (action-types.ts, docs/actions.md). */
  readonly idempotency: IdempotencyRepository;
  readonly outbox: OutboxRepository;
  readonly notificationPreferences: NotificationPreferenceRepository;
  readonly drafts: DraftRepository;
  readonly coordination: CoordinationRepository;
  close(): Promise<void>;
}
