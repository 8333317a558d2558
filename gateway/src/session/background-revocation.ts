/**
 * Revocation that must not hold up an answer. A session found idle or expired on a request, or one whose refresh the
 * EHR refused, is deleted first (so it is over, whatever happens next) and the browser is answered at once; revoking
 * its tokens at the authorization server (up to the token endpoint's deadline) runs in the background.
 *
 * Background, not forgotten: every revocation started here is tracked until it settles (`pending`, `settled()` — for
 * a graceful shutdown and for tests), and a failure is logged, never dropped silently. revokeEnded already logs and
 * swallows the authorization server's refusals; anything thrown past it is logged here.
 */
import type { Logger } from '../http/logger.ts';
import type { EndedSession, RevokeEnded, SessionEnd } from './revoke-ended.ts';

export interface BackgroundRevocation {
  /** Starts revoking the ended sessions' tokens and returns at once. */
  start(sessions: readonly (EndedSession | undefined)[], why: SessionEnd): void;
  /** Revocations started and not yet settled. */
  readonly pending: number;
  /** Resolves when every revocation started so far has settled (never rejects). */
  settled(): Promise<void>;
}

export function createBackgroundRevocation(deps: { readonly revokeEnded: RevokeEnded; readonly logger: Logger }): BackgroundRevocation {
  const inFlight = new Set<Promise<void>>();
  return {
    start(sessions, why) {
      if (!sessions.some((s) => s?.tokens !== undefined && s.endpoints !== undefined)) return;
      const work: Promise<void> = Promise.resolve()
        .then(() => deps.revokeEnded(sessions, why))
        .catch((error: unknown) => {
          deps.logger.error('background token revocation failed', { why, error: error instanceof Error ? error.name : 'unknown' });
        })
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    },
    get pending() {
      return inFlight.size;
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
