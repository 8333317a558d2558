import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { CookieJar, authorizeUrl, follow, obtainCode, pkcePair, tokenRequest } from './oauth-driver.ts';

const CLIENT_ID = 'sprout-portal';
const CLIENT_SECRET = 'test-secret-not-for-production';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const LAUNCH_URL = 'http://127.0.0.1:9/launch';
const SCOPE = 'openid fhirUser launch/patient offline_access patient/*.rs user/*.rs';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], launchUrl: LAUNCH_URL }] });
});
afterAll(async () => {
  await sandbox?.close();
});

const params = (scope = SCOPE, launch?: string) => ({
  issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope,
  ...(launch ? { launch } : {}),
});

async function exchange(code: string, verifier: string) {
  return tokenRequest(sandbox.issuer, CLIENT_ID, CLIENT_SECRET, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
}

describe('sandbox SMART authorization server', () => {
  it('runs authorization code + PKCE for the guardian: verified id_token with fhirUser, no patient, rotating refresh', async () => {
    const { code, verifier } = await obtainCode(params(), 'maria', sandbox.password);
    const token = await exchange(code, verifier);
    expect(token.status).toBe(200);
    expect(String(token.json.token_type).toLowerCase()).toBe('bearer');
    expect(token.json.patient).toBeUndefined();
    expect(token.json.need_patient_banner).toBe(true);
    expect(String(token.json.scope).split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'patient/*.rs', 'offline_access']));

    const jwks = createRemoteJWKSet(new URL(`${sandbox.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(String(token.json.id_token), jwks, { issuer: sandbox.issuer, audience: CLIENT_ID, algorithms: ['RS256'] });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Person/maria-rivera`);
    expect(payload.sub).toBe('Person/maria-rivera');

    const fhir = await fetch(`${sandbox.fhirBaseUrl}/Person/maria-rivera`, { headers: { authorization: `Bearer ${String(token.json.access_token)}` } });
    expect(fhir.status).toBe(200);

    const firstRefresh = String(token.json.refresh_token);
    const refreshed = await tokenRequest(sandbox.issuer, CLIENT_ID, CLIENT_SECRET, { grant_type: 'refresh_token', refresh_token: firstRefresh });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).toBeTypeOf('string');
    expect(refreshed.json.refresh_token).not.toBe(firstRefresh);
    const reused = await tokenRequest(sandbox.issuer, CLIENT_ID, CLIENT_SECRET, { grant_type: 'refresh_token', refresh_token: firstRefresh });
    expect(reused.status).toBe(400);
    expect(reused.json.error).toBe('invalid_grant');
  });

  it('gives a Patient login its own id as patient in standalone launch/patient', async () => {
    const { code, verifier } = await obtainCode(params(), 'isabel', sandbox.password);
    const token = await exchange(code, verifier);
    expect(token.json.patient).toBe('isabel-rivera');
  });

  it('refuses a wrong password with an escaped message and a wrong client secret at the token endpoint', async () => {
    const jar = new CookieJar();
    const pkce = pkcePair();
    const step = await follow(jar, authorizeUrl(params(), pkce, 'state-1'), REDIRECT_URI);
    const page = await step.response?.text() ?? '';
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
    const failed = await fetch(new URL(action, step.url), {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ username: '<script>alert(1)</script>', password: 'nope' }).toString(),
    });
    expect(failed.status).toBe(401);
    const body = await failed.text();
    expect(body).toContain('role="alert"');
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;');

    const { code, verifier } = await obtainCode(params(), 'maria', sandbox.password);
    const wrong = await tokenRequest(sandbox.issuer, CLIENT_ID, 'wrong-secret', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
    expect(wrong.status).toBe(401);
  });

  it('requires PKCE S256 and the FHIR base as aud', async () => {
    const noPkce = new URL(`${sandbox.issuer}/auth`);
    for (const [key, value] of Object.entries({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPE, state: 's', aud: sandbox.fhirBaseUrl })) {
      noPkce.searchParams.set(key, value);
    }
    const refused = await fetch(noPkce, { redirect: 'manual' });
    expect(new URL(refused.headers.get('location') ?? '', noPkce).searchParams.get('error')).toBe('invalid_request');

    const pkce = pkcePair();
    const wrongAud = await fetch(authorizeUrl({ ...params(), aud: 'https://evil.example/fhir' }, pkce, 's'), { redirect: 'manual' });
    expect(new URL(wrongAud.headers.get('location') ?? '', sandbox.issuer).searchParams.get('error')).toBe('invalid_request');
  });

  it('returns 401 for FHIR calls without a valid token and after revocation', async () => {
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient`)).status).toBe(401);
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    const { code, verifier } = await obtainCode(params(), 'dr.shah', sandbox.password);
    const token = await exchange(code, verifier);
    const accessToken = String(token.json.access_token);
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    const revoke = await fetch(`${sandbox.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
  });

  it('turns a launch-simulator launch into patient context in the token response', async () => {
    const form = new URLSearchParams({ user: 'Practitioner/priya-shah', patient: 'sofia-rivera', client: CLIENT_ID });
    const simulated = await fetch(sandbox.launchSimulatorUrl, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    expect(simulated.status).toBe(303);
    const launchTarget = new URL(simulated.headers.get('location') ?? '');
    expect(launchTarget.origin + launchTarget.pathname).toBe(LAUNCH_URL);
    expect(launchTarget.searchParams.get('iss')).toBe(sandbox.fhirBaseUrl);
    const launch = launchTarget.searchParams.get('launch') ?? '';
    expect(launch).not.toBe('');

    // The EHR user is already signed in: no sign-in page.
    const { code, verifier } = await obtainCode(params('openid fhirUser launch patient/*.rs', launch), undefined, sandbox.password);
    const token = await exchange(code, verifier);
    expect(token.json.patient).toBe('sofia-rivera');
    expect(token.json.need_patient_banner).toBe(false);
    const { payload } = await jwtVerify(String(token.json.id_token), createRemoteJWKSet(new URL(`${sandbox.issuer}/jwks`)), { issuer: sandbox.issuer, audience: CLIENT_ID });
    expect(payload.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/priya-shah`);

    const unknown = await fetch(authorizeUrl(params('openid launch', 'not-a-launch'), pkcePair(), 's'), { redirect: 'manual' });
    expect(new URL(unknown.headers.get('location') ?? '', sandbox.issuer).searchParams.get('error')).toBe('invalid_request');
  });

  it('serves the simulator page with the accounts and patients', async () => {
    const page = await (await fetch(sandbox.launchSimulatorUrl)).text();
    expect(page).toContain('Practitioner/priya-shah');
    expect(page).toContain('value="isabel-rivera"');
  });
});

describe('sandbox access-token lifetime', () => {
  it('refuses an expired access token', async () => {
    const shortLived = await startSandbox({ accessTokenTtlSeconds: 1, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
    try {
      const p = { issuer: shortLived.issuer, fhirBaseUrl: shortLived.fhirBaseUrl, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope: 'openid fhirUser patient/*.rs' };
      const { code, verifier } = await obtainCode(p, 'elena', shortLived.password);
      const token = await tokenRequest(shortLived.issuer, CLIENT_ID, CLIENT_SECRET, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
      const headers = { authorization: `Bearer ${String(token.json.access_token)}` };
      expect((await fetch(`${shortLived.fhirBaseUrl}/Patient/elena-rivera`, { headers })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await fetch(`${shortLived.fhirBaseUrl}/Patient/elena-rivera`, { headers })).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });
});
