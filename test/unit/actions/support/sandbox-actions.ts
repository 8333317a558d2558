/**
 * Runs action handlers against the real sandbox EHR: a signed-in sandbox user's token (authorization code + PKCE
 * through the sandbox's sign-in form), a FhirUpstream over it, and a Hono app that sets the context variables
 * requireSession would set (session, principal, upstream) — CSRF and the session itself are requireSession's, tested
 * in test/unit/gateway. Test support only.
 */
import { Hono } from 'hono';
import { createFetchUpstream } from '../../../../gateway/src/fhir/fetch-upstream.ts';
import type { FhirUpstream } from '../../../../gateway/src/fhir/upstream.ts';
import type { GatewayEnv } from '../../../../gateway/src/http/context.ts';
import type { Principal } from '../../../../gateway/src/policy/types.ts';
import { startSandbox, type RunningSandbox } from '../../../../sandbox/src/index.ts';
import { obtainCode, tokenRequest } from '../../sandbox/oauth-driver.ts';

export const CLIENT_ID = 'sprout-portal';
export const CLIENT_SECRET = 'actions-test-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const SCOPE = 'openid fhirUser offline_access user/*.rs user/*.cu patient/*.rs';

export async function startTestSandbox(): Promise<RunningSandbox> {
  return startSandbox({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], launchUrl: 'http://127.0.0.1:9/launch' }] });
}

export interface SignedInUser {
  readonly principal: Principal;
  readonly accessToken: string;
  upstream(fetchImpl?: typeof globalThis.fetch): FhirUpstream;
}

export async function signInToSandbox(sandbox: RunningSandbox, username: string): Promise<SignedInUser> {
  const { code, verifier } = await obtainCode(
    { issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope: SCOPE },
    username,
    sandbox.password,
  );
  const token = await tokenRequest(sandbox.issuer, CLIENT_ID, CLIENT_SECRET, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
  const accessToken = token.json['access_token'];
  if (typeof accessToken !== 'string') throw new Error(`no access token: ${JSON.stringify(token.json)}`);
  const account = sandbox.accounts.find((a) => a.username === username);
  if (account === undefined) throw new Error(`no sandbox account ${username}`);
  const principal: Principal = { fhirUser: account.fhirUser, reference: account.accountId, kind: account.resourceType, scopes: SCOPE.split(' ') };
  return {
    principal,
    accessToken,
    upstream: (fetchImpl = globalThis.fetch) =>
      createFetchUpstream({ baseUrl: sandbox.fhirBaseUrl, getAccessToken: async () => accessToken, fetch: fetchImpl, timeoutMs: 15_000, maxBytes: 32 * 1024 * 1024, retries: 0 }),
  };
}

/** A Hono app whose /api/* requests run as `user` (what requireSession provides), with `mount` adding the routes. */
export function appFor(user: SignedInUser, sandbox: RunningSandbox, mount: (app: Hono<GatewayEnv>) => void, fetchImpl?: typeof globalThis.fetch): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  let requests = 0;
  app.use('*', async (c, next) => {
    requests += 1;
    c.set('requestId', `req-${requests}`);
    c.set('session', { id: 'session-1', createdAt: 0, lastSeenAt: 0, fhirBaseUrl: sandbox.fhirBaseUrl, principal: user.principal, secret: 'test-secret-of-enough-length' });
    c.set('principal', user.principal);
    c.set('upstream', user.upstream(fetchImpl));
    await next();
  });
  mount(app);
  return app;
}
