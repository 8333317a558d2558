/**
 * private_key_jwt (SMART "confidential asymmetric") end to end: a real gateway signs in through the real sandbox over
 * HTTP. The sandbox fetches the portal's public keys from its /.well-known/jwks.json, checks every client assertion
 * (code exchange, refresh, revocation), and refuses a portal whose key it does not know.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE } from '../../../gateway/src/smart/client-auth.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { CookieJar, follow } from '../sandbox/oauth-driver.ts';
import { listen, openMemoryStore, sessionCookie, signInThroughPortal, type LivePortal } from './interop-live.ts';

const pem = (type: 'ec' | 'rsa') =>
  (type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 })
  ).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

let sandbox: RunningSandbox;
let store: Store;
let ecPortal: LivePortal; // registered by jwks_uri (its own JWKS URL), signs with ES384
let rsaPortal: LivePortal; // registered with its JWKS given directly, signs with RS384
let wrongKeyPortal: LivePortal; // registered with someone else's key

beforeAll(async () => {
  store = await openMemoryStore();
  [ecPortal, rsaPortal, wrongKeyPortal] = await Promise.all([listen(), listen(), listen()]);
  const rsaPem = pem('rsa');
  const { parsePemPrivateKeys, publicJwks } = await import('../../../gateway/src/smart/client-auth.ts');
  const registration = (portal: LivePortal) => ({ redirectUris: [`${portal.url}/callback`], launchUrl: `${portal.url}/launch` });
  sandbox = await startSandbox({
    accessTokenTtlSeconds: 60,
    clients: [
      { clientId: 'portal-es384', jwksUri: `${ecPortal.url}/.well-known/jwks.json`, ...registration(ecPortal) },
      { clientId: 'portal-rs384', jwks: publicJwks(parsePemPrivateKeys(rsaPem)), ...registration(rsaPortal) },
      { clientId: 'portal-wrong-key', jwks: publicJwks(parsePemPrivateKeys(pem('ec'))), ...registration(wrongKeyPortal) },
    ],
  });
  const env = (clientId: string, keys: string) => ({ FHIR_BASE_URL: sandbox.fhirBaseUrl, CLIENT_ID: clientId, CLIENT_PRIVATE_KEYS: keys });
  ecPortal.attach(env('portal-es384', pem('ec')), store);
  rsaPortal.attach({ ...env('portal-rs384', rsaPem), CLIENT_AUTH_METHOD: 'private_key_jwt' }, store);
  wrongKeyPortal.attach(env('portal-wrong-key', pem('ec')), store);
});

afterAll(async () => {
  await Promise.all([ecPortal?.close(), rsaPortal?.close(), wrongKeyPortal?.close()]);
  await sandbox?.close();
  await store?.close();
});

function tokenCalls(portal: LivePortal, grant?: string) {
  return portal.calls.filter((call) => call.url === `${sandbox.issuer}/token` && (grant === undefined || call.form.get('grant_type') === grant));
}

function expectAssertion(portal: LivePortal, call: { headers: Headers; form: URLSearchParams }, alg: 'ES384' | 'RS384') {
  expect(call.headers.get('authorization')).toBeNull();
  expect(call.form.get('client_assertion_type')).toBe(CLIENT_ASSERTION_TYPE);
  const assertion = call.form.get('client_assertion') ?? '';
  const header = decodeProtectedHeader(assertion);
  const claims = decodeJwt(assertion);
  const clientId = portal.config?.clientId;
  expect(header.alg).toBe(alg);
  expect(header.kid).toBe(portal.config?.clientSigningKeys[0]?.kid);
  expect(claims.iss).toBe(clientId);
  expect(claims.sub).toBe(clientId);
  expect(claims.aud).toBe(`${sandbox.issuer}/token`);
  expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(300);
  expect(claims.exp).toBeGreaterThan(claims.iat ?? Infinity);
  return claims;
}

async function api(portal: LivePortal, jar: { header(): string }, path: string, init: RequestInit = {}) {
  return fetch(`${portal.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
}

describe('private_key_jwt against the sandbox', () => {
  it('publishes only public keys at /.well-known/jwks.json', async () => {
    const res = await fetch(`${ecPortal.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig', kid: ecPortal.config?.clientSigningKeys[0]?.kid });
    for (const key of jwks.keys) for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
  });

  it('signs in with ES384 (keys fetched from the portal), refreshes and revokes with fresh assertions', async () => {
    const { callback, jar } = await signInThroughPortal(ecPortal.url, 'maria', sandbox.password);
    expect(callback.status).toBe(303);
    const view = (await (await api(ecPortal, jar, '/api/session')).json()) as { signedIn: boolean; user: { fhirUser: string }; csrfToken: string };
    expect(view.signedIn).toBe(true);
    expect(view.user.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Person/maria-rivera`);
    const [exchange] = tokenCalls(ecPortal, 'authorization_code');
    const first = expectAssertion(ecPortal, exchange!, 'ES384');

    // 60-second tokens: 55 s later the gateway refreshes, once, with a new assertion (new jti).
    ecPortal.clock.advance(55_000);
    expect((await api(ecPortal, jar, '/api/session')).status).toBe(200);
    const refreshes = tokenCalls(ecPortal, 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(expectAssertion(ecPortal, refreshes[0]!, 'ES384').jti).not.toBe(first.jti);

    // Sign-out revokes at the sandbox with an assertion; the access token no longer opens the FHIR API.
    const session = await store.sessions.get(sessionCookie(jar) ?? '');
    const accessToken = session?.tokens?.accessToken ?? '';
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient/isabel-rivera`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    const logout = await api(ecPortal, jar, '/logout', { method: 'POST', headers: { Origin: ecPortal.url, 'X-CSRF-Token': view.csrfToken } });
    expect(logout.status).toBe(200);
    const revocations = ecPortal.calls.filter((call) => call.url === `${sandbox.issuer}/token/revocation`);
    expect(revocations.length).toBeGreaterThan(0);
    for (const call of revocations) expectAssertion(ecPortal, call, 'ES384');
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient/isabel-rivera`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
  });

  it('completes an EHR launch with private_key_jwt and lands on the launched patient', async () => {
    const before = tokenCalls(ecPortal, 'authorization_code').length;
    const launch = sandbox.createLaunch({ accountId: 'Practitioner/priya-shah', patient: 'isabel-rivera' });
    const jar = new CookieJar();
    const back = await follow(jar, `${ecPortal.url}/launch?iss=${encodeURIComponent(sandbox.fhirBaseUrl)}&launch=${encodeURIComponent(launch)}`, `${ecPortal.url}/callback`);
    expect(back.response).toBeUndefined(); // the EHR's user is already signed in: no sign-in page
    const callback = await fetch(back.url, { redirect: 'manual', headers: { cookie: jar.header() } });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/patient/isabel-rivera');
    const exchanges = tokenCalls(ecPortal, 'authorization_code');
    expect(exchanges).toHaveLength(before + 1);
    expectAssertion(ecPortal, exchanges.at(-1)!, 'ES384');
  });

  it('signs in with RS384 when the method is forced and the JWKS was registered directly', async () => {
    const { callback, jar } = await signInThroughPortal(rsaPortal.url, 'isabel', sandbox.password);
    expect(callback.status).toBe(303);
    expect(((await (await api(rsaPortal, jar, '/api/session')).json()) as { signedIn: boolean }).signedIn).toBe(true);
    expectAssertion(rsaPortal, tokenCalls(rsaPortal, 'authorization_code')[0]!, 'RS384');
  });

  it('a portal signing with a key the sandbox does not know is refused: no session', async () => {
    const { callback, jar } = await signInThroughPortal(wrongKeyPortal.url, 'maria', sandbox.password);
    expect(callback.status).toBe(400);
    expect(await callback.text()).toMatch(/sign-in|refused/i);
    expect(sessionCookie(jar)).toBeUndefined();
    expect(tokenCalls(wrongKeyPortal, 'authorization_code')).toHaveLength(1);
    expect((await api(wrongKeyPortal, jar, '/api/session')).status).toBe(401);
  });
});
