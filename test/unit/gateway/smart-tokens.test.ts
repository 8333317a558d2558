/** Token response and id_token checks: forged, alg:none, wrong audience/issuer, expired, nonce, fhirUser, token_type, expires_in. */
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSERVATIVE_TOKEN_LIFETIME_SECONDS } from '../../../gateway/src/smart/token.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';
import { CLIENT_ID, EHR_BASE, EHR_ORIGIN } from './support/fake-ehr.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterAll(closeSharedStore);

async function sessionCount(harness: Harness, browser: { cookies: Map<string, string> }): Promise<boolean> {
  const id = browser.cookies.get('__Host-sprout');
  return id !== undefined && (await harness.store.sessions.get(id)) !== undefined;
}

async function refusedWith(idToken: (claims: JWTPayload) => Promise<string>) {
  const browser = h.browser();
  const res = await signIn(h, browser, { idToken });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('could not confirm who signed in');
  expect(await sessionCount(h, browser)).toBe(false);
  expect(browser.cookies.has('__Host-sprout')).toBe(false);
}

describe('id_token verification', () => {
  it('accepts a properly signed id_token and makes a principal from fhirUser', async () => {
    const browser = h.browser();
    const res = await signIn(h, browser, { fhirUser: `${EHR_BASE}/Person/guardian-1` });
    expect(res.status).toBe(303);
    const session = await h.store.sessions.get(browser.cookies.get('__Host-sprout') ?? '');
    expect(session?.principal).toEqual({
      fhirUser: `${EHR_BASE}/Person/guardian-1`,
      reference: 'Person/guardian-1',
      kind: 'Person',
      scopes: expect.arrayContaining(['openid', 'fhirUser', 'user/*.rs']) as unknown,
    });
  });

  it('refuses a forged signature (another key, same kid)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await refusedWith((claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey));
  });

  it('refuses a tampered payload', async () => {
    await refusedWith(async (claims) => {
      const [header, , signature] = (await h.ehr.signIdToken(claims)).split('.');
      const payload = Buffer.from(JSON.stringify({ ...claims, fhirUser: `${EHR_BASE}/Practitioner/admin` })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    });
  });

  it('refuses alg:none', async () => {
    await refusedWith(async (claims) => new UnsecuredJWT(claims).encode());
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    await refusedWith(async (claims) => {
      const jwks = (await (await h.ehr.fetch(`${EHR_ORIGIN}/oidc/jwks`)).json()) as { keys: Array<{ n: string }> };
      const secret = createHash('sha256').update(jwks.keys[0]?.n ?? '').digest();
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(secret);
    });
  });

  it('refuses an unlisted algorithm even when correctly signed (PS256)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256');
    const jwk = await exportJWK(publicKey);
    expect(jwk.kty).toBe('RSA');
    await refusedWith((claims) => new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: 'k1' }).sign(privateKey));
  });

  it('refuses a wrong audience', async () => {
    await refusedWith((claims) => h.ehr.signIdToken({ ...claims, aud: 'another-app' }));
  });

  it('refuses several audiences without azp = our client', async () => {
    await refusedWith((claims) => h.ehr.signIdToken({ ...claims, aud: [CLIENT_ID, 'another-app'] }));
  });

  it('refuses a wrong issuer', async () => {
    await refusedWith((claims) => h.ehr.signIdToken({ ...claims, iss: 'https://evil.example/oidc' }));
  });

  it('refuses an expired id_token', async () => {
    await refusedWith((claims) => h.ehr.signIdToken({ ...claims, exp: Math.floor(h.clock.now() / 1000) - 3600, iat: Math.floor(h.clock.now() / 1000) - 7200 }));
  });

  it('refuses a wrong nonce', async () => {
    await refusedWith((claims) => h.ehr.signIdToken({ ...claims, nonce: 'not-the-one-we-sent' }));
  });

  it.each([
    'https://evil.example/fhir/R4/RelatedPerson/rp-1',
    'https://ehr.example.org/fhir/OtherBase/RelatedPerson/rp-1',
    '//evil.example/fhir/R4/RelatedPerson/rp-1',
    `${EHR_BASE}/Organization/o1`,
    `${EHR_BASE}/RelatedPerson/rp-1/_history/2`,
    `${EHR_BASE}/RelatedPerson/rp-1?x=1`,
    `${EHR_BASE}/Patient/../Practitioner/p1`,
    `${EHR_BASE}/RelatedPerson/`,
  ])('refuses fhirUser %s', async (fhirUser) => {
    const browser = h.browser();
    const res = await signIn(h, browser, { fhirUser });
    expect(res.status).toBe(400);
    expect(browser.cookies.has('__Host-sprout')).toBe(false);
  });

  it('refuses a token response without id_token', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser, { omitIdToken: true })).status).toBe(400);
  });
});

describe('token response', () => {
  it('accepts token_type in any case, refuses other types', async () => {
    expect((await signIn(h, h.browser(), { tokenType: 'BEARER' })).status).toBe(303);
    expect((await signIn(h, h.browser(), { tokenType: 'mac' })).status).toBe(502);
  });

  it('assumes a conservative lifetime when expires_in is missing', async () => {
    const browser = h.browser();
    await signIn(h, browser, { expiresIn: null });
    const session = await h.store.sessions.get(browser.cookies.get('__Host-sprout') ?? '');
    expect(session?.tokens?.accessTokenExpiresAt).toBe(h.clock.now() + CONSERVATIVE_TOKEN_LIFETIME_SECONDS * 1000);
  });

  it('a standalone sign-in lands on the dashboard even when its token names a patient', async () => {
    const standalone = await signIn(h, h.browser(), { patient: 'child-1' });
    expect(standalone.status).toBe(303);
    expect(standalone.headers.get('location')).toBe('/');
  });

  it('stores the granted scope and the launch context; smart_style_url only from an allowed origin', async () => {
    const browser = h.browser();
    await signIn(h, browser, {
      patient: 'child-1',
      extra: { scope: 'openid fhirUser patient/Observation.rs', need_patient_banner: false, smart_style_url: 'https://evil.example/style.json', encounter: 'e1' },
    });
    const session = await h.store.sessions.get(browser.cookies.get('__Host-sprout') ?? '');
    expect(session?.tokens?.scope).toBe('openid fhirUser patient/Observation.rs');
    expect(session?.principal?.scopes).toEqual(['openid', 'fhirUser', 'patient/Observation.rs']);
    expect(session?.launchContext).toEqual({ need_patient_banner: false, patient: 'child-1', encounter: 'e1' });

    const other = h.browser();
    await signIn(h, other, { extra: { smart_style_url: `${EHR_ORIGIN}/style.json` } });
    const second = await h.store.sessions.get(other.cookies.get('__Host-sprout') ?? '');
    expect(second?.launchContext).toEqual({ need_patient_banner: true, smart_style_url: `${EHR_ORIGIN}/style.json` });
  });

  it('authenticates to the token endpoint with client_secret_basic and sends the PKCE verifier', async () => {
    await signIn(h, h.browser());
    const [tokenRequest] = h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`);
    expect(tokenRequest?.headers.get('authorization')).toMatch(/^Basic /);
    const form = new URLSearchParams(tokenRequest?.body);
    expect(form.get('client_secret')).toBeNull();
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });
});
