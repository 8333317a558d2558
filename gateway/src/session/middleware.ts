/**
 * requireSession: the middleware in front of /api and /fhir. It finds the signed-in session from the cookie, ends
 * it if idle or too old (deleting it, answering 401 at once and revoking its tokens in the background), checks CSRF on state-changing calls, records activity, and sets the context variables of
 * http/context.ts (session, principal, upstream). Without a live signed-in session it answers through `onSignedOut`
 * and no route runs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Store } from '../store/types.ts';
import { HttpError } from '../errors.ts';
import type { SessionCookies } from './cookies.ts';
import { hasValidCsrfToken, isSameOriginRequest, isStateChanging } from './csrf.ts';
import { isSessionExpired, type SessionLimits } from './lifetime.ts';
import type { BackgroundRevocation } from './background-revocation.ts';
import type { Session } from './types.ts';

/** Activity is written at most this often per session (a write per request would be wasteful). */
export const ACTIVITY_WRITE_INTERVAL_MS = 10_000;

export interface RequireSessionOptions {
  readonly config: Pick<Config, 'publicUrl'>;
  readonly store: Store;
  readonly clock: Clock;
  readonly cookies: SessionCookies;
  readonly limits: SessionLimits;
  /** Builds the session's upstream (bound to its FHIR base and a refreshing token getter). */
  readonly upstreamFor: (session: Session) => FhirUpstream;
  /** Revokes, in the background, the tokens of a session that ended here (idle timeout or absolute lifetime). */
  readonly revocation: BackgroundRevocation;
  /** The answer when there is no live signed-in session (401 in the route family's own format). */
  readonly onSignedOut: (c: Context<GatewayEnv>) => Response | Promise<Response>;
}

export function requireSession(options: RequireSessionOptions): MiddlewareHandler<GatewayEnv> {
  const { store, clock, cookies, limits } = options;
  const publicOrigin = new URL(options.config.publicUrl).origin;
  if (limits.idleMs <= 0 || limits.maxAgeMs <= 0) throw new Error('requireSession: session limits must be positive');

  return async function sessionMiddleware(c, next) {
    const sessionId = cookies.readSession(c);
    let session = sessionId === undefined ? undefined : await store.sessions.get(sessionId);
    const now = clock.now();
    if (session !== undefined && isSessionExpired(session, now, limits)) {
      const ended = await store.sessions.delete(session.id);
      options.revocation.start([ended], now - session.lastSeenAt >= limits.idleMs ? 'idle' : 'lifetime');
      session = undefined;
    }
    const principal = session?.principal;
    if (session === undefined || principal === undefined) {
      if (sessionId !== undefined) cookies.clearSession(c);
      return options.onSignedOut(c);
    }
    if (isStateChanging(c.req.method) && (!isSameOriginRequest(c, publicOrigin) || !hasValidCsrfToken(c, session))) {
      throw new HttpError(403, 'forbidden', 'This request was refused: it did not come from the portal page.');
    }
    if (now - session.lastSeenAt >= ACTIVITY_WRITE_INTERVAL_MS) {
      session = { ...session, lastSeenAt: now };
      await store.sessions.touch(session.id, now);
    }
    c.set('session', session);
    c.set('principal', principal);
    c.set('upstream', options.upstreamFor(session));
    await next();
  };
}
