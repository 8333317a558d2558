/**
 * The gateway's persistent state behind one interface, with two implementations: embedded PGlite (default, data in
 * a folder) and PostgreSQL (DATABASE_URL). Sessions, and the audit trail of every facade decision.
 */
import type { Session } from '../session/types.ts';

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

export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** Replace the session (the implementation may compare-and-set on a version it keeps). */
  put(session: Session): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Record activity: set lastSeenAt only, leaving every other field as stored. (A read-modify-put here could write
   * back a refresh token that a concurrent request has just rotated.)
   */
  touch(id: string, lastSeenAt: number): Promise<void>;
  /** Remove sessions idle past idleMs or older than maxAgeMs; returns how many were removed. */
  deleteExpired(now: number, idleMs: number, maxAgeMs: number): Promise<number>;
  /**
   * Run fn while holding an exclusive lock on this session id, across processes sharing the database
   * (refresh tokens must be spent once, even by concurrent requests on several gateway replicas).
   */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

export interface Store {
  readonly sessions: SessionRepository;
  readonly audit: AuditRepository;
  close(): Promise<void>;
}
