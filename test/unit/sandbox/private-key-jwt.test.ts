/**
 * The sandbox's authorization server as a SMART "confidential asymmetric" server: a client registered with public keys
 * authenticates with an RFC 7523 client assertion; a wrong key, a replayed jti, a wrong audience, an expired assertion
 * or a secret instead of an assertion is refused with invalid_client, while secret clients keep working.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { obtainCode, tokenRequest } from './oauth-driver.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const SCOPE = 'openid fhirUser launch/patient offline_access patient/*.rs';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function keyPair(kind: 'ec' | 'rsa'): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'secp384r1' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: `${kind}-1`, alg: kind === 'ec' ? 'ES384' : 'RS384', use: 'sig' } };
}

const ec = keyPair('ec');
const rsa = keyPair('rsa');
const stranger = keyPair('ec');
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    clients: [
      { clientId: 'asymmetric', jwks: { keys: [ec.jwk, rsa.jwk] }, redirectUris: [REDIRECT_URI] },
      { clientId: 'symmetric', clientSecret: 'a-secret', redirectUris: [REDIRECT_URI] },
    ],
  });
});
afterAll(async () => {
  await sandbox?.close();
});

interface AssertionOptions {
  readonly key?: KeyObject;
  readonly alg?: string;
  readonly kid?: string;
  readonly aud?: string;
  readonly jti?: string;
  readonly expiresIn?: number;
}

function assertion(options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'ES384', kid: options.kid ?? 'ec-1', typ: 'JWT' })
    .setIssuer('asymmetric')
    .setSubject('asymmetric')
    .setAudience(options.aud ?? `${sandbox.issuer}/token`)
    .setJti(options.jti ?? randomBytes(16).toString('base64url'))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(options.key ?? ec.privateKey);
}

async function exchange(clientAssertion: string | undefined, extra: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const { code, verifier } = await obtainCode({ issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: 'asymmetric', redirectUri: REDIRECT_URI, scope: SCOPE }, 'isabel', sandbox.password);
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: 'asymmetric', ...extra });
  if (clientAssertion !== undefined) {
    form.set('client_assertion_type', ASSERTION_TYPE);
    form.set('client_assertion', clientAssertion);
  }
  const response = await fetch(`${sandbox.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('private_key_jwt at the sandbox', () => {
  it('advertises it in SMART discovery', async () => {
    const config = (await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<string, string[]>;
    expect(config['token_endpoint_auth_methods_supported']).toEqual(expect.arrayContaining(['client_secret_basic', 'private_key_jwt']));
    expect(config['token_endpoint_auth_signing_alg_values_supported']).toEqual(expect.arrayContaining(['RS384', 'ES384']));
    expect(config['capabilities']).toContain('client-confidential-asymmetric');
  });

  it('accepts ES384 and RS384 assertions for the code exchange and the refresh', async () => {
    const token = await exchange(await assertion());
    expect(token.status).toBe(200);
    expect(token.json['patient']).toBe('isabel-rivera');
    expect((await exchange(await assertion({ key: rsa.privateKey, alg: 'RS384', kid: 'rsa-1' }))).status).toBe(200);
    const refresh = await fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(token.json['refresh_token']), client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion() }).toString(),
    });
    expect(refresh.status).toBe(200);
  });

  it.each([
    ['a key it does not know', () => assertion({ key: stranger.privateKey })],
    ['a replayed jti', async () => {
      const jti = randomBytes(16).toString('base64url');
      expect((await exchange(await assertion({ jti }))).status).toBe(200);
      return assertion({ jti });
    }],
    ['another audience', () => assertion({ aud: 'https://elsewhere.example/token' })],
    ['an expired assertion', () => assertion({ expiresIn: -120 })],
    ['an algorithm it does not allow', () => assertion({ key: rsa.privateKey, alg: 'RS512', kid: 'rsa-1' })],
  ])('refuses %s with invalid_client', async (_label, make) => {
    const token = await exchange(await make());
    expect(token.status).toBe(401);
    expect(token.json['error']).toBe('invalid_client');
    expect(token.json['access_token']).toBeUndefined();
  });

  it('refuses a secret from a client registered with keys, and keeps secret clients working', async () => {
    const code = await obtainCode({ issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: 'asymmetric', redirectUri: REDIRECT_URI, scope: SCOPE }, 'isabel', sandbox.password);
    const withSecret = await tokenRequest(sandbox.issuer, 'asymmetric', 'guess', { grant_type: 'authorization_code', code: code.code, code_verifier: code.verifier, redirect_uri: REDIRECT_URI });
    expect(withSecret.status).toBe(401);
    const symmetric = await obtainCode({ issuer: sandbox.issuer, fhirBaseUrl: sandbox.fhirBaseUrl, clientId: 'symmetric', redirectUri: REDIRECT_URI, scope: SCOPE }, 'isabel', sandbox.password);
    const ok = await tokenRequest(sandbox.issuer, 'symmetric', 'a-secret', { grant_type: 'authorization_code', code: symmetric.code, code_verifier: symmetric.verifier, redirect_uri: REDIRECT_URI });
    expect(ok.status).toBe(200);
  });
});
