/**
 * createApp wires the gateway: security headers and request ids on everything; the sign-in routes; /api and /fhir
 * behind the session middleware; the built app with SPA fallback; one error handler. No I/O at import time —
 * the store, clock, fetch and profile come in as arguments (tests pass fakes and call `app.request(...)`).
 */
import { Hono, type Context } from 'hono';
import { fileURLToPath } from 'node:url';
import { createFactsCache, type FactsCache } from './access/facts-cache.ts';
import type { Config } from './config.ts';
import { createErrorHandler, operationOutcome } from './errors.ts';
import { createFhirFacade } from './fhir/facade.ts';
import { createFetchUpstream } from './fhir/fetch-upstream.ts';
import type { FhirUpstream } from './fhir/upstream.ts';
import type { Clock } from './http/clock.ts';
import type { GatewayEnv } from './http/context.ts';
import { createLogger, type Logger } from './http/logger.ts';
import { requestId } from './http/request-id.ts';
import { securityHeaders } from './http/security-headers.ts';
import { staticApp } from './http/static-files.ts';
import type { HospitalProfile } from './policy/index.ts';
import { createAccountRoutes } from './api/account-routes.ts';
import { createPreferenceRoutes } from './notify/preference-routes.ts';
import { createBillingRoutes, paymentsConfig } from './billing/billing-routes.ts';
import { createPaymentWebhookRoutes } from './billing/payment-webhook.ts';
import { createHimRoutes } from './him/him-routes.ts';
import { createRecordsTransferRoutes } from './records-transfer/send-records.ts';
import { createCareRoutes } from './care-requests/care-routes.ts';
import { createCalendarFeedRoute } from './care-requests/calendar-feed.ts';
import { createMessageRoutes } from './messages/message-routes.ts';
import { createSessionRoutes, isSessionProbe, SIGNED_OUT_VIEW, signedOutView } from './api/session-routes.ts';
import { createServedActions } from './actions/available.ts';
import { createFamilyPreviewRoutes } from './api/family-preview-routes.ts';
import { createSessionCookies } from './session/cookies.ts';
import { sessionLimits } from './session/lifetime.ts';
import { requireSession } from './session/middleware.ts';
import { createRevokeEnded } from './session/revoke-ended.ts';
import { createBackgroundRevocation, type BackgroundRevocation } from './session/background-revocation.ts';
import type { Session } from './session/types.ts';
import { createAccessTokenGetter } from './smart/access-token.ts';
import { createSmartClient } from './smart/client.ts';
import { createAuthRoutes } from './smart/routes.ts';
import { publicJwks } from './smart/client-auth.ts';
import type { Store } from './store/types.ts';

/** Per-attempt deadline and body cap for calls to the EHR's FHIR API. */
export const UPSTREAM_TIMEOUT_MS = 15_000;
export const UPSTREAM_MAX_BYTES = 16 * 1024 * 1024;
export const UPSTREAM_GET_RETRIES = 2;

/** What the /fhir facade needs from the app besides the per-request context variables (session, principal, upstream). */
export interface FacadeDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
  readonly logger: Logger;
  /** The session policy facts this replica keeps (access/facts-cache.ts, FACTS_CACHE_SECONDS). */
  readonly factsCache?: FactsCache;
}

/**
 * The /fhir facade: returns the Hono routes mounted at /fhir, behind requireSession (so `session`, `principal` and
 * `upstream` are set). Default: the policy-enforcing facade of fhir/facade.ts.
 */
export type FhirFacadeFactory = (deps: FacadeDeps) => Hono<GatewayEnv>;

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  /** Every outbound HTTP call (discovery, tokens, JWKS, FHIR) goes through this. */
  readonly fetch: typeof globalThis.fetch;
  readonly profile: HospitalProfile;
  /** Replaces the policy facade (wiring tests only). */
  readonly facade?: FhirFacadeFactory;
  readonly logger?: Logger;
  /** The built app (default: dist/app at the repository root). */
  readonly staticRoot?: string;
  /** Background token revocation (server.ts passes its own, to wait for it on shutdown). */
  readonly revocation?: BackgroundRevocation;
}

const policyFacade: FhirFacadeFactory = ({ store, clock, profile, factsCache }) =>
  createFhirFacade({ store, clock, profile, basePath: '/fhir', ...(factsCache === undefined ? {} : { factsCache }) });

const DEFAULT_STATIC_ROOT = fileURLToPath(new URL('../../dist/app', import.meta.url));

export function createApp(deps: AppDeps): Hono<GatewayEnv> {
  const { config, store, clock, profile } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const cookies = createSessionCookies(config);
  const factsCache = createFactsCache({ ttlMs: config.factsCacheSeconds * 1000, maxSessions: config.factsCacheSessions });
  const limits = sessionLimits(config);
  const smart = createSmartClient({ config, fetch: deps.fetch, clock });
  /** Every end of a session revokes its tokens (session/revoke-ended.ts). */
  const revokeEnded = createRevokeEnded({ smart, logger });
  /** Ends found on a request (idle, lifetime, a refused refresh) answer at once and revoke in the background. */
  const revocation = deps.revocation ?? createBackgroundRevocation({ revokeEnded, logger });

  function upstreamFor(session: Session): FhirUpstream {
    return createFetchUpstream({
      baseUrl: session.fhirBaseUrl,
      getAccessToken: createAccessTokenGetter({ store, smart, clock, logger, revocation }, session),
      fetch: deps.fetch,
      timeoutMs: UPSTREAM_TIMEOUT_MS,
      maxBytes: UPSTREAM_MAX_BYTES,
      retries: UPSTREAM_GET_RETRIES,
    });
  }

  const sessionFor = (onSignedOut: (c: Context<GatewayEnv>) => Response) =>
    requireSession({ config, store, clock, cookies, limits, upstreamFor, revocation, onSignedOut });

  const app = new Hono<GatewayEnv>();
  app.use('*', securityHeaders({ hsts: config.secureCookies, embedOrigins: config.embedOrigins }));
  app.use('*', requestId());
  app.onError(createErrorHandler(logger));

  app.route('/', createAuthRoutes({ config, store, clock, fetch: deps.fetch, smart, cookies, limits, logger, revokeEnded, profile }));
  // The public half of the private_key_jwt keys, for the EHR's client registration (jwks_uri); empty without keys.
  app.get('/.well-known/jwks.json', (c) => c.json(publicJwks(config.clientSigningKeys), 200, { 'Cache-Control': 'public, max-age=300' }));
  // The family's private calendar feed (care-requests/calendar-feed.ts): no session, the secret URL is the credential.
  app.route('/calendar', createCalendarFeedRoute({ config, store, clock, profile, logger, fetch: deps.fetch }));

  /** Every action module registers its kind here as it is mounted: the app promises only what is served. */
  const servedActions = createServedActions();
  // The payment processor's signed webhook: no session (the processor calls it); billing/payment-webhook.ts.
  app.route('/payments/webhook', createPaymentWebhookRoutes({ store, clock, logger, payments: paymentsConfig(config) }));
  app.use(
    '/api/*',
    sessionFor((c) => (isSessionProbe(c.req.method, c.req.url) ? c.json(signedOutView(servedActions), 200) : c.json(SIGNED_OUT_VIEW, 401))),
  );
  app.route('/api/session', createSessionRoutes({ store, clock, profile, limits, servedActions, factsCache }));
  app.route('/api/clinician/family-preview', createFamilyPreviewRoutes({ store, clock, profile }));
  app.route('/api/account', createAccountRoutes({ store, clock, cookies, profile, revokeEnded, logger }));
  app.route('/api/notifications/preferences', createPreferenceRoutes({ store, clock }));
  app.route('/api/care', createCareRoutes({ store, clock, profile, logger }));
  servedActions.register('appointment-requests');
  servedActions.register('renewals');
  app.route('/api/messages', createMessageRoutes({ store, clock, profile, logger }));
  servedActions.register('messages');
  app.route('/api/billing', createBillingRoutes({ store, clock, profile, logger, payments: paymentsConfig(config), fetch: deps.fetch }));
  servedActions.register('bills');
  app.route('/api/him', createHimRoutes({ store, clock, profile, logger }));
  app.route('/api/records', createRecordsTransferRoutes({ store, clock, profile, logger, trustDomains: config.directTrustDomains }));
  app.all('/api/*', (c) => c.json(operationOutcome('not-found', 'There is no such API route.'), 404));

  const fhirSignedOut = (c: Context<GatewayEnv>) =>
    c.json(operationOutcome('login', 'Please sign in.'), 401, { 'Content-Type': 'application/fhir+json; charset=utf-8' });
  app.use('/fhir/*', sessionFor(fhirSignedOut));
  const facade = deps.facade ?? policyFacade;
  app.route('/fhir', facade({ store, clock, profile, logger, factsCache }));
  app.all('/fhir/*', (c) => c.json(operationOutcome('not-found', 'There is no such FHIR route on this portal.'), 404));

  app.use('*', staticApp({ root: deps.staticRoot ?? DEFAULT_STATIC_ROOT }));
  app.notFound((c) => c.json(operationOutcome('not-found', 'Not found.'), 404));
  return app;
}
