/**
 * The sign-in routes: GET /launch (EHR launch), GET /login (standalone, or the open-server form), POST /login
 * (open-server only), GET /callback, POST /logout. Browser navigations get small HTML pages on failure, never JSON.
 *
 * Order of checks on /launch: the `iss` allow-list comes first, before discovery or any other network call.
 * State: kept server-side in a fresh pre-auth session whose id is in the pre-auth cookie; the callback accepts it only
 * from that cookie's session, only once (deleted before the code is exchanged), and only before it expires.
 * A completed sign-in always creates a new session id and deletes any session the browser had: never a merge.
 */
import { Hono, type Context } from 'hono';
import type { Config } from '../config.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import { clientAddress, createRateLimiter, rateLimit } from '../http/rate-limit.ts';
import type { HospitalProfile } from '../policy/index.ts';
import { PRINCIPAL_KINDS, type Principal, type PrincipalKind } from '../policy/types.ts';
import type { SessionCookies } from '../session/cookies.ts';
import { hasValidCsrfToken, isSameOriginRequest, safeEqual } from '../session/csrf.ts';
import type { SessionLimits } from '../session/lifetime.ts';
import type { RevokeEnded } from '../session/revoke-ended.ts';
import type { Session } from '../session/types.ts';
import type { Store } from '../store/types.ts';
import { PENDING_AUTHORIZATION_TTL_MS, type SmartClient } from './client.ts';
import { SmartError, type FetchLike } from './http.ts';
import { matchAllowedIss } from './iss.ts';
import { renderAccountBlocked, renderOpenServerLogin, renderSignInError, renderTooManyRequests, type SignInMessageId } from './pages.ts';
import { randomToken } from './random.ts';
import { landingPath, safeReturnTo } from './return-to.ts';

export interface AuthRouteDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly fetch: FetchLike;
  readonly smart: SmartClient;
  readonly cookies: SessionCookies;
  readonly limits: SessionLimits;
  readonly logger: Logger;
  /** Revokes the tokens of sessions this flow ends (sign-out, a new sign-in replacing the browser's session). */
  readonly revokeEnded: RevokeEnded;
  /** Whom a blocked account is told to call (hospital name, HIM phone). */
  readonly profile: Pick<HospitalProfile, 'hospitalName' | 'himPhone'>;
}

const MAX_LAUNCH_LENGTH = 2048;
const MAX_CODE_LENGTH = 4096;

/** What a browser sees for each SmartError kind (the details go to the log only). */
function publicMessageFor(error: SmartError): { status: 400 | 502 | 504; message: SignInMessageId } {
  switch (error.kind) {
    case 'timeout':
      return { status: 504, message: 'ehr-timeout' };
    case 'network':
    case 'bad-response':
      return { status: 502, message: 'ehr-unusable' };
    case 'forbidden-origin':
      return { status: 502, message: 'ehr-misconfigured' };
    case 'invalid-grant':
    case 'refused':
      return { status: 400, message: 'sign-in-refused' };
    case 'id-token':
      return { status: 400, message: 'identity-unconfirmed' };
  }
}

export function createAuthRoutes(deps: AuthRouteDeps): Hono<GatewayEnv> {
  const { config, store, clock, smart, cookies, limits, logger, revokeEnded } = deps;
  const publicOrigin = new URL(config.publicUrl).origin;
  const routes = new Hono<GatewayEnv>();

  // Every sign-in route creates state or calls the EHR before anyone is signed in: limit them per client address.
  const signInLimit = rateLimit({
    limiter: createRateLimiter({ limit: config.signInRateLimit, windowMs: config.signInRateWindowSeconds * 1000 }),
    now: clock.now,
    keyOf: (c) => clientAddress(c, config.trustProxy),
    onLimited: (c, retryAfterSeconds) => {
      logger.warn('sign-in rate limit reached', { requestId: c.get('requestId'), path: c.req.path });
      return c.html(renderTooManyRequests(retryAfterSeconds), 429);
    },
  });
  for (const path of ['/login', '/launch', '/callback']) routes.use(path, signInLimit);

  const errorPage = (c: Context<GatewayEnv>, status: 400 | 403 | 404 | 502 | 504, message: SignInMessageId, detail?: string) =>
    c.html(renderSignInError({ message, ...(detail === undefined ? {} : { detail }) }), status);

  /** Delete whatever session and pending sign-in this browser has (revoking its tokens): a new sign-in replaces, never merges. */
  async function dropBrowserSessions(c: Context<GatewayEnv>): Promise<void> {
    const sessionId = cookies.readSession(c);
    const preAuthId = cookies.readPreAuth(c);
    const ended = [];
    if (sessionId !== undefined) ended.push(await store.sessions.delete(sessionId));
    if (preAuthId !== undefined) ended.push(await store.sessions.delete(preAuthId));
    await revokeEnded(ended, 'replaced');
  }

  /** A blocked account (a reported unauthorized access, until staff clear it) gets no session: a kind page says whom to call. */
  function accountBlockedPage(c: Context<GatewayEnv>) {
    logger.warn('sign-in refused: account blocked', { requestId: c.get('requestId') });
    return c.html(renderAccountBlocked(deps.profile), 403);
  }

  async function startAuthorization(c: Context<GatewayEnv>, fhirBaseUrl: string, launch: string | undefined, returnTo: string | undefined) {
    let begun;
    try {
      begun = await smart.beginAuthorization({
        fhirBaseUrl,
        ...(launch === undefined ? {} : { launch }),
        ...(returnTo === undefined ? {} : { returnTo }),
      });
    } catch (error) {
      if (!(error instanceof SmartError)) throw error;
      logger.warn('authorization could not start', { requestId: c.get('requestId'), error: error.message, fhirBaseUrl });
      const { status, message } = publicMessageFor(error);
      return errorPage(c, status, message);
    }
    await dropBrowserSessions(c);
    const now = clock.now();
    const preAuth: Session = {
      id: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      fhirBaseUrl,
      secret: randomToken(),
      pendingAuthorization: begun.pending,
    };
    await store.sessions.create(preAuth);
    cookies.clearSession(c);
    cookies.setPreAuth(c, preAuth.id, PENDING_AUTHORIZATION_TTL_MS / 1000);
    return c.redirect(begun.authorizeUrl, 302);
  }

  async function startSignedInSession(c: Context<GatewayEnv>, fields: Omit<Session, 'id' | 'createdAt' | 'lastSeenAt' | 'secret'>, returnTo: string | undefined) {
    await dropBrowserSessions(c);
    const now = clock.now();
    const session: Session = { ...fields, id: randomToken(), createdAt: now, lastSeenAt: now, secret: randomToken() };
    await store.sessions.create(session);
    cookies.setSession(c, session.id, limits.maxAgeMs / 1000);
    logger.info('signed in', { requestId: c.get('requestId'), kind: fields.principal?.kind, openServerMode: fields.openServerMode === true });
    return c.redirect(returnTo ?? '/', 303);
  }

  routes.get('/launch', async (c) => {
    // The allow-list check runs before anything else that could reach the network.
    const fhirBaseUrl = matchAllowedIss(c.req.query('iss'), config.allowedIss);
    if (fhirBaseUrl === undefined) {
      logger.warn('launch refused: iss not allowed', { requestId: c.get('requestId') });
      return errorPage(c, 400, 'unknown-ehr');
    }
    if (config.openServerMode) return errorPage(c, 400, 'test-mode-no-launch');
    const launch = c.req.query('launch');
    if (launch === undefined || launch === '' || launch.length > MAX_LAUNCH_LENGTH) {
      return errorPage(c, 400, 'launch-incomplete');
    }
    return startAuthorization(c, fhirBaseUrl, launch, undefined);
  });

  routes.get('/login', async (c) => {
    const returnTo = safeReturnTo(c.req.query('returnTo'), config.publicUrl);
    if (config.openServerMode) {
      return c.html(renderOpenServerLogin({ fhirBaseUrl: config.fhirBaseUrl, ...(returnTo === undefined ? {} : { returnTo }) }));
    }
    return startAuthorization(c, config.fhirBaseUrl, undefined, returnTo);
  });

  routes.post('/login', async (c) => {
    if (!config.openServerMode) return errorPage(c, 404, 'nothing-here');
    if (!isSameOriginRequest(c, publicOrigin, true)) return errorPage(c, 403, 'cross-site');
    const form = await c.req.parseBody();
    const rawRef = typeof form['fhirUser'] === 'string' ? form['fhirUser'].trim() : '';
    const returnTo = safeReturnTo(typeof form['returnTo'] === 'string' ? form['returnTo'] : undefined, config.publicUrl);
    const principal = await openServerPrincipal(deps, rawRef);
    if (principal === undefined) {
      const error = 'No Patient, RelatedPerson, Person or Practitioner with that reference was found on the FHIR server.';
      return c.html(renderOpenServerLogin({ fhirBaseUrl: config.fhirBaseUrl, error, ...(returnTo === undefined ? {} : { returnTo }) }), 400);
    }
    if (await store.accountBlocks.isBlocked(principal.fhirUser)) return accountBlockedPage(c);
    return startSignedInSession(c, { fhirBaseUrl: config.fhirBaseUrl, principal, openServerMode: true, launchContext: { need_patient_banner: true } }, returnTo);
  });

  routes.get('/callback', async (c) => {
    const state = c.req.query('state');
    const preAuthId = cookies.readPreAuth(c);
    cookies.clearPreAuth(c);
    if (state === undefined || state === '' || preAuthId === undefined) {
      return errorPage(c, 400, 'link-used');
    }
    // Spend the pending authorization exactly once, under the session lock (two tabs replaying the same callback race here).
    const pre = await store.sessions.withLock(preAuthId, async () => {
      const found = await store.sessions.get(preAuthId);
      const pending = found?.pendingAuthorization;
      if (found === undefined || pending === undefined || !safeEqual(pending.state, state)) return undefined;
      await store.sessions.delete(preAuthId);
      return pending.expiresAt > clock.now() ? { session: found, pending } : undefined;
    });
    if (pre === undefined) {
      logger.warn('callback refused: unknown, spent, foreign or expired state', { requestId: c.get('requestId') });
      return errorPage(c, 400, 'link-used');
    }
    const oauthError = c.req.query('error');
    if (oauthError !== undefined) {
      const description = c.req.query('error_description');
      logger.info('authorization server returned an error', { requestId: c.get('requestId'), error: oauthError.slice(0, 64) });
      return errorPage(c, 400, 'sign-in-cancelled', description === undefined ? oauthError : `${oauthError}: ${description}`);
    }
    const code = c.req.query('code');
    if (code === undefined || code === '' || code.length > MAX_CODE_LENGTH) return errorPage(c, 400, 'answer-incomplete');
    let completed;
    try {
      completed = await smart.completeAuthorization(pre.pending, pre.session.fhirBaseUrl, code);
    } catch (error) {
      if (!(error instanceof SmartError)) throw error;
      logger.warn('authorization could not complete', { requestId: c.get('requestId'), error: error.message });
      const { status, message } = publicMessageFor(error);
      return errorPage(c, status, message);
    }
    if (await store.accountBlocks.isBlocked(completed.principal.fhirUser)) {
      // The EHR signed them in, but this portal must not: give the fresh tokens straight back.
      await revokeEnded([{ tokens: completed.tokens, endpoints: pre.pending.endpoints }], 'account-blocked');
      return accountBlockedPage(c);
    }
    return startSignedInSession(
      c,
      {
        fhirBaseUrl: pre.session.fhirBaseUrl,
        principal: completed.principal,
        tokens: completed.tokens,
        launchContext: completed.launchContext,
        endpoints: pre.pending.endpoints,
      },
      // Checked again here: the stored value is only ever what /login accepted, but the redirect is where it matters.
      safeReturnTo(pre.pending.returnTo, config.publicUrl) ?? (pre.pending.launch === undefined ? '/' : landingPath(completed.launchContext)),
    );
  });

  routes.post('/logout', async (c) => {
    const sessionId = cookies.readSession(c);
    const session = sessionId === undefined ? undefined : await store.sessions.get(sessionId);
    if (session !== undefined && (!isSameOriginRequest(c, publicOrigin) || !hasValidCsrfToken(c, session))) {
      return c.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'cross-site' }] }, 403);
    }
    cookies.clearSession(c);
    if (session !== undefined) {
      const ended = await store.sessions.delete(session.id);
      // After the delete: a failed revocation must not keep the session alive.
      await revokeEnded([ended ?? session], 'logout');
      logger.info('signed out', { requestId: c.get('requestId') });
    }
    return c.json({ signedIn: false as const, loginUrl: '/login' });
  });

  return routes;
}

const OPEN_SERVER_REFERENCE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

function isPrincipalKind(value: string): value is PrincipalKind {
  return (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** Open-server mode: the chosen reference must name an existing resource of a principal kind on the FHIR base. */
async function openServerPrincipal(deps: AuthRouteDeps, reference: string): Promise<Principal | undefined> {
  const match = OPEN_SERVER_REFERENCE.exec(reference);
  if (match === null) return undefined;
  const [, kind, id] = match as unknown as [string, string, string];
  if (!isPrincipalKind(kind)) return undefined;
  const url = `${deps.config.fhirBaseUrl}/${kind}/${id}`;
  try {
    const response = await deps.fetch(url, { headers: { Accept: 'application/fhir+json' }, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as unknown;
    if (typeof body !== 'object' || body === null || !('resourceType' in body) || body.resourceType !== kind) return undefined;
  } catch {
    return undefined;
  }
  return { fhirUser: url, reference: `${kind}/${id}`, kind, scopes: [] };
}
