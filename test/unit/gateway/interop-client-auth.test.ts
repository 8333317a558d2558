/**
 * Client authentication settings (private_key_jwt keys from CLIENT_PRIVATE_KEYS / CLIENT_JWKS_PATH, CLIENT_AUTH_METHOD)
 * and the per-server choice from discovery's token_endpoint_auth_methods_supported.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../gateway/src/config.ts';
import { chooseClientAuthMethod, parsePemPrivateKeys, type ClientAuthSettings } from '../../../gateway/src/smart/client-auth.ts';
import { CLIENT_ID, CLIENT_SECRET, EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn } from './support/harness.ts';

const ecPem = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const base = { FHIR_BASE_URL: EHR_BASE, CLIENT_ID: 'c1' };

function configError(env: Record<string, string>): string {
  try {
    parseConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('private_key_jwt keys in configuration', () => {
  it('reads ES384 and RS384 keys from PEM (also with \\n escapes) with RFC 7638 kids', () => {
    const config = parseConfig({ ...base, CLIENT_PRIVATE_KEYS: `${ecPem}${rsaPem}` });
    expect(config.clientSigningKeys.map((k) => k.alg)).toEqual(['ES384', 'RS384']);
    expect(config.clientSigningKeys[0]?.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const oneLine = parseConfig({ ...base, CLIENT_PRIVATE_KEYS: ecPem.trim().replace(/\n/g, '\\n') });
    expect(oneLine.clientSigningKeys[0]?.kid).toBe(config.clientSigningKeys[0]?.kid);
  });

  it('reads a private JWKS file, keeping its kids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-jwks-'));
    const jwk = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'jwk' });
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: [{ ...jwk, kid: 'portal-2026', alg: 'ES384' }] }));
    const config = parseConfig({ ...base, CLIENT_JWKS_PATH: join(dir, 'keys.json') });
    expect(config.clientSigningKeys.map((k) => [k.kid, k.alg])).toEqual([['portal-2026', 'ES384']]);
    expect(config.clientSigningKeys[0]?.publicJwk).not.toHaveProperty('d');
  });

  it.each([
    ['text that is not PEM', { CLIENT_PRIVATE_KEYS: 'not a key' }, /CLIENT_PRIVATE_KEYS contains no PEM block/],
    ['a PEM block that is not a key', { CLIENT_PRIVATE_KEYS: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, /CLIENT_PRIVATE_KEYS PEM key #1 could not be read/],
    ['an EC P-256 key', { CLIENT_PRIVATE_KEYS: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }, /prime256v1 key; use an RSA key \(RS384\) or an EC P-384 key \(ES384\)/],
    ['a 1024-bit RSA key', { CLIENT_PRIVATE_KEYS: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }, /1024-bit RSA key; at least 2048/],
    ['the same key twice', { CLIENT_PRIVATE_KEYS: `${ecPem}${ecPem}` }, /two keys with kid/],
    ['both PEM and a JWKS path', { CLIENT_PRIVATE_KEYS: ecPem, CLIENT_JWKS_PATH: '/x.json' }, /both set; set only one/],
    ['an unreadable JWKS path', { CLIENT_JWKS_PATH: '/nonexistent/sprout-keys.json' }, /CLIENT_JWKS_PATH "\/nonexistent\/sprout-keys.json" cannot be read \(ENOENT\)/],
    ['forced private_key_jwt without keys', { CLIENT_AUTH_METHOD: 'private_key_jwt' }, /CLIENT_AUTH_METHOD=private_key_jwt needs CLIENT_PRIVATE_KEYS/],
    ['forced client_secret_basic without a secret', { CLIENT_AUTH_METHOD: 'client_secret_basic' }, /CLIENT_AUTH_METHOD=client_secret_basic needs CLIENT_SECRET/],
    ['an unknown method', { CLIENT_AUTH_METHOD: 'client_secret_jwt' }, /CLIENT_AUTH_METHOD must be one of auto, private_key_jwt, client_secret_basic/],
  ])('refuses %s with a message naming the variable', (_label, env, message) => {
    expect(configError(env)).toMatch(message);
  });

  it('never puts key material in the error message', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const message = configError({ CLIENT_PRIVATE_KEYS: p256 });
    expect(message).not.toContain(p256.split('\n')[1]);
  });
});

describe('choosing the method per server', () => {
  const keys = parsePemPrivateKeys(ecPem);
  const settings = (over: Partial<ClientAuthSettings>): ClientAuthSettings => ({ clientId: 'c', clientSecret: undefined, clientAuthMethod: 'auto', clientSigningKeys: [], ...over });
  it.each([
    [{ clientSigningKeys: keys, clientSecret: 's' }, ['client_secret_basic', 'private_key_jwt'], 'private_key_jwt'],
    [{ clientSigningKeys: keys, clientSecret: 's' }, ['client_secret_basic'], 'client_secret_basic'],
    [{ clientSigningKeys: keys }, undefined, 'private_key_jwt'],
    [{ clientSecret: 's' }, undefined, 'client_secret_basic'],
    [{ clientSecret: 's' }, ['client_secret_basic', 'private_key_jwt'], 'client_secret_basic'],
    [{}, ['none', 'client_secret_basic'], 'none'],
    [{ clientSigningKeys: keys, clientSecret: 's', clientAuthMethod: 'client_secret_basic' as const }, ['private_key_jwt'], 'client_secret_basic'],
  ])('%j with a server listing %j → %s', (over, serverMethods, expected) => {
    expect(chooseClientAuthMethod(settings(over), serverMethods)).toBe(expected);
  });

  it('refuses a server that lists none of ours', () => {
    expect(() => chooseClientAuthMethod(settings({ clientSigningKeys: keys }), ['client_secret_basic'])).toThrow(/supports client_secret_basic; this portal is configured for private_key_jwt/);
  });
});

describe('with a server that does not list private_key_jwt', () => {
  afterAll(closeSharedStore);
  let h: Awaited<ReturnType<typeof createHarness>>;
  beforeEach(async () => {
    h = await createHarness({
      env: { CLIENT_PRIVATE_KEYS: ecPem },
      ehr: { smartConfiguration: (d) => ({ ...d, token_endpoint_auth_methods_supported: ['client_secret_basic'] }) },
    });
  });

  it('keys plus a secret: the secret is used (client_secret_basic)', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser)).status).toBe(303);
    const exchange = h.ehr.requests.find((r) => r.url.endsWith('/oidc/token'));
    expect(exchange?.headers.get('authorization')).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
    expect(exchange?.body).not.toContain('client_assertion');
  });

  it('keys only (no secret): refused before the user is sent to sign in, nothing in common with the server', async () => {
    const keysOnly = await createHarness({
      env: { CLIENT_PRIVATE_KEYS: ecPem, CLIENT_SECRET: '' },
      ehr: { smartConfiguration: (d) => ({ ...d, token_endpoint_auth_methods_supported: ['client_secret_basic'] }) },
    });
    const res = await keysOnly.browser().request('/login');
    expect(res.status).toBe(502);
    expect(res.headers.get('location')).toBeNull();
  });
});
