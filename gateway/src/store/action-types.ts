/**
 * The store's repositories for actions and notifications (docs/actions.md): idempotency records, the email outbox,
 * notification preferences, drafts (sealed), named leases and watermarks. Implemented over SQL in sql-actions.ts and
 * sql-outbox.ts for PGlite and PostgreSQL alike; every operation that must hold across gateway replicas is one
 * atomic statement (INSERT … ON CONFLICT, UPDATE … FOR UPDATE SKIP LOCKED).
 */

/** The stored outcome of a finished action: what a retry with the same key gets back. */
export interface IdempotentOutcome {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyClaim =
  /** This request owns the key: run the action, then complete() or release() with `owner`. */
  | { readonly kind: 'claimed'; readonly owner: string }
  /** The action already finished: answer with its outcome, do nothing. */
  | { readonly kind: 'replay'; readonly outcome: IdempotentOutcome }
  /** Another request with this key is running (a double click): answer 409 and let the client retry. */
  | { readonly kind: 'in-progress' }
  /** The key was used for a different action or different input. */
  | { readonly kind: 'mismatch' };

export interface IdempotencyClaimRequest {
  /** Who is acting (the session principal's fhirUser): keys are per person, never shared. */
  readonly subject: string;
  readonly key: string;
  readonly action: string;
  /** A hash of the action's input: the same key with different input is a mismatch, not a replay. */
  readonly fingerprint: string;
  readonly now: number;
  /** A running claim older than this is taken over (its replica died mid-action). */
  readonly staleAfterMs: number;
}

export interface IdempotencyRepository {
  claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim>;
  /** Record the outcome (sealed at rest). False when the claim was lost (taken over after going stale). */
  complete(subject: string, key: string, owner: string, outcome: IdempotentOutcome, now: number): Promise<boolean>;
  /** Give the key back (the action failed before writing anything): a retry with the same key runs again. */
  release(subject: string, key: string, owner: string): Promise<void>;
  /** Forget finished records older than `before` (epoch ms). Returns how many. */
  prune(before: number): Promise<number>;
}

/** One email to send. The payload is sealed at rest (it names an address). */
export interface OutboxEmail {
  /** Unique per notification (e.g. "message:Communication/123:RelatedPerson/maria"): enqueuing twice is a no-op. */
  readonly dedupeKey: string;
  /** The person it is for (a FHIR reference); for the audit trail and the preference check. */
  readonly recipient: string;
  readonly to: string;
  readonly language: string;
  /** Template id in notify/templates.ts. */
  readonly template: string;
  /** Values for the template: never health information (a link, a name of the portal). */
  readonly params: Readonly<Record<string, string>>;
}

export interface OutboxItem extends OutboxEmail {
  readonly id: string;
  readonly status: 'pending' | 'sending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
  readonly sentAt?: number;
  readonly lastError?: string;
}

export interface OutboxRepository {
  /** True when queued; false when an email with this dedupeKey was queued before (exactly one per notification). */
  enqueue(email: OutboxEmail, now: number): Promise<boolean>;
  /**
   * Take up to `limit` due items for `owner` until `now + leaseMs`: pending ones whose time has come, and sending
   * ones whose lease ran out. One statement with FOR UPDATE SKIP LOCKED, so two replicas never take the same row.
   */
  lease(owner: string, now: number, leaseMs: number, limit: number): Promise<readonly OutboxItem[]>;
  /** Only the lease holder can finish an item; false when the lease was lost. */
  markSent(id: string, owner: string, now: number): Promise<boolean>;
  /** Back to pending at `retryAt`, or failed for good when retryAt is undefined. */
  markFailed(id: string, owner: string, error: string, retryAt: number | undefined): Promise<boolean>;
  /** Newest first (operations and tests). */
  list(options?: { readonly limit?: number }): Promise<readonly OutboxItem[]>;
}

export interface NotificationPreference {
  /** A FHIR reference of the person: "RelatedPerson/…", "Patient/…", "Practitioner/…". */
  readonly person: string;
  readonly emailEnabled: boolean;
  /** BCP 47 primary tag the person reads: "en" or "es". */
  readonly language: string;
  readonly updatedAt: number;
}

export interface NotificationPreferenceRepository {
  /** Undefined when the person never chose: email is on by default. */
  get(person: string): Promise<NotificationPreference | undefined>;
  put(preference: NotificationPreference): Promise<void>;
}

export interface Draft {
  /** The person who owns it (fhirUser). Drafts are never shared. */
  readonly owner: string;
  readonly id: string;
  /** What it is a draft of ("message", …). */
  readonly kind: string;
  readonly data: unknown;
  readonly updatedAt: number;
}

export interface DraftRepository {
  /** Sealed at rest under the session key ring. */
  put(draft: Draft): Promise<void>;
  get(owner: string, id: string): Promise<Draft | undefined>;
  /** Newest first. */
  list(owner: string, kind: string): Promise<readonly Draft[]>;
  delete(owner: string, id: string): Promise<boolean>;
}

/** Named leases (one replica runs a poller at a time) and watermarks (how far a poller has read). */
export interface CoordinationRepository {
  /** Take or renew `name` for `owner` until `now + ttlMs`; true when held. */
  acquireLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  getWatermark(name: string): Promise<string | undefined>;
  setWatermark(name: string, value: string, now: number): Promise<void>;
}
