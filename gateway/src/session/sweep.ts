/**
 * The periodic sweep (server.ts runs it once a minute): removes sessions past their idle timeout or absolute
 * lifetime and pre-sign-in sessions older than PENDING_SESSION_MS, then revokes the removed sessions' tokens — a
 * session nobody comes back to must not leave a live refresh token at the EHR.
 */
import type { Logger } from '../http/logger.ts';
import type { Store } from '../store/types.ts';
import type { SessionLimits } from './lifetime.ts';
import type { RevokeEnded } from './revoke-ended.ts';

/** A sign-in that has not come back from the authorization server in 10 minutes is dropped (issue 9, finding 4). */
export const PENDING_SESSION_MS = 10 * 60 * 1000;

export interface SessionSweepDeps {
  readonly store: Store;
  readonly limits: SessionLimits;
  readonly revokeEnded: RevokeEnded;
  readonly logger: Logger;
  readonly pendingMs?: number;
}

/** One sweep at `now`; returns how many sessions were removed. */
export async function sweepSessions(deps: SessionSweepDeps, now: number): Promise<number> {
  const removed = await deps.store.sessions.deleteExpired(now, { ...deps.limits, pendingMs: deps.pendingMs ?? PENDING_SESSION_MS });
  const signedIn = removed.filter((s) => s.principal !== undefined);
  // Which limit ended each: idle when it was idle that long, else its absolute lifetime.
  const idle = signedIn.filter((s) => now - s.lastSeenAt >= deps.limits.idleMs);
  const lifetime = signedIn.filter((s) => now - s.lastSeenAt < deps.limits.idleMs);
  await deps.revokeEnded(idle, 'idle');
  await deps.revokeEnded(lifetime, 'lifetime');
  if (removed.length > 0) deps.logger.debug('expired sessions removed', { removed: removed.length, signedIn: signedIn.length });
  return removed.length;
}
