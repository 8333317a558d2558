/**
 * The access-token getter behind a session's FhirUpstream. A token within its refresh skew of expiry (a tenth of its
 * lifetime, bounded to [MIN_REFRESH_SKEW_MS, MAX_REFRESH_SKEW_MS]) is refreshed under `store.sessions.withLock(sessionId)`, re-reading the session inside the lock: concurrent requests (in this
 * process or on other replicas sharing PostgreSQL) wait for the first refresher and then use its new token, so a
 * refresh token is spent exactly once. A rotated refresh token replaces the old one in the same write.
 *
 * When the EHR refuses the refresh, the session is deleted and its still-valid access token is revoked too (in the
 * background: the 401 does not wait for the authorization server).
 */
import { UpstreamError } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { BackgroundRevocation } from '../session/background-revocation.ts';
import type { Session, SessionTokens } from '../session/types.ts';
import type { Store } from '../store/types.ts';
import type { SmartClient } from './client.ts';
import { SmartError } from './http.ts';

/** Refresh this share of a token's lifetime before its stated expiry, so a token never expires in flight… */
export const REFRESH_SKEW_SHARE = 0.1;
/** …but never closer to expiry than this (a request in flight must still arrive in time)… */
export const MIN_REFRESH_SKEW_MS = 5_000;
/** …and never earlier than this (long-lived tokens are used for most of their life). */
export const MAX_REFRESH_SKEW_MS = 60_000;

/**
 * How long before expiry to refresh a token issued `lifetimeMs` before its expiry. A fixed 60 s would refresh a
 * 60-second token before every call; 10 % bounded to [5 s, 60 s] uses it for 54 s.
 */
export function refreshSkewMs(lifetimeMs: number): number {
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) return MIN_REFRESH_SKEW_MS;
  return Math.min(MAX_REFRESH_SKEW_MS, Math.max(MIN_REFRESH_SKEW_MS, Math.round(lifetimeMs * REFRESH_SKEW_SHARE)));
}

/** Tokens stored before the issue time was recorded get the largest skew (the earlier fixed behaviour). */
function skewFor(tokens: SessionTokens): number {
  return tokens.accessTokenIssuedAt === undefined ? MAX_REFRESH_SKEW_MS : refreshSkewMs(tokens.accessTokenExpiresAt - tokens.accessTokenIssuedAt);
}

export interface AccessTokenGetterDeps {
  readonly store: Store;
  readonly smart: SmartClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Revokes the tokens of a session ended here because the EHR refused to renew it. */
  readonly revocation: BackgroundRevocation;
}

/** Returns undefined in open-server mode (no Authorization header); throws UpstreamError('unauthorized') when the session cannot continue. */
export function createAccessTokenGetter(deps: AccessTokenGetterDeps, initial: Session): () => Promise<string | undefined> {
  const sessionId = initial.id;
  let known: SessionTokens | undefined = initial.tokens;
  const isFresh = (tokens: SessionTokens) => tokens.accessTokenExpiresAt - skewFor(tokens) > deps.clock.now();

  return async function getAccessToken(): Promise<string | undefined> {
    if (initial.openServerMode === true) return undefined;
    if (known !== undefined && isFresh(known)) return known.accessToken;
    const tokens = await deps.store.sessions.withLock(sessionId, async () => {
      const current = await deps.store.sessions.get(sessionId);
      if (current?.tokens === undefined) throw new UpstreamError('unauthorized', 'The session has ended.');
      if (isFresh(current.tokens)) return current.tokens; // another request refreshed while we waited
      if (current.endpoints === undefined || current.tokens.refreshToken === undefined) {
        throw new UpstreamError('unauthorized', 'The access token expired and there is no refresh token.');
      }
      let refreshed: SessionTokens;
      try {
        refreshed = await deps.smart.refresh(current.endpoints, current.tokens);
      } catch (cause) {
        if (cause instanceof SmartError && (cause.kind === 'invalid-grant' || cause.kind === 'refused')) {
          // The refresh token is spent, expired or revoked: this session cannot reach the EHR again.
          // Its access token may still be valid for minutes: revoke it (and the refused refresh token) as well.
          const ended = await deps.store.sessions.delete(sessionId);
          deps.revocation.start([ended ?? current], 'refused');
          throw new UpstreamError('unauthorized', 'The EHR refused to renew the sign-in.', { cause });
        }
        const timedOut = cause instanceof SmartError && cause.kind === 'timeout';
        throw new UpstreamError(timedOut ? 'timeout' : 'network', 'Renewing the sign-in with the EHR failed.', { cause });
      }
      await deps.store.sessions.put({ ...current, tokens: refreshed });
      deps.logger.info('access token refreshed', { sessionRef: sessionId.slice(0, 8), rotated: refreshed.refreshToken !== current.tokens.refreshToken });
      return refreshed;
    });
    known = tokens;
    return tokens.accessToken;
  };
}
