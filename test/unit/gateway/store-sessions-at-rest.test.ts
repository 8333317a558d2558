/**
 * Issue 9, finding 2: a stolen copy of the database yields neither a usable token nor a usable cookie. Sessions are
 * sealed with AES-256-GCM under the configured key ring and keyed by a hash of the session id; keys rotate.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseStoreConfig } from '../../../gateway/src/config.ts';
import type { Session } from '../../../gateway/src/session/types.ts';
import { devSessionKeys, DEV_KEY_FILE } from '../../../gateway/src/store/dev-keys.ts';
import { openStore } from '../../../gateway/src/store/index.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import { createSealer, generateSessionKey, parseSessionKeys, sessionRowKey } from '../../../gateway/src/store/seal.ts';
import { backends, TEST_KEYS } from './support/store-backends.ts';

const secret = (label: string) => `${label}-${randomBytes(24).toString('base64url')}`;

/** A signed-in session and a pre-sign-in one, every secret distinctive so a byte search can find it. */
function secretSessions(fhirUser: string): { sessions: Session[]; secrets: string[] } {
  const signedIn: Session = {
    id: secret('cookie'),
    createdAt: 1_000_000,
    lastSeenAt: 1_000_000,
    fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
    secret: secret('csrf-secret'),
    principal: { fhirUser, reference: 'Person/g1', kind: 'Person', scopes: ['openid'] },
    tokens: { accessToken: secret('access-token'), refreshToken: secret('refresh-token'), accessTokenExpiresAt: 2_000_000, scope: 'openid', tokenType: 'bearer' },
  };
  const pending: Session = {
    id: secret('pre-auth-cookie'),
    createdAt: 1_000_000,
    lastSeenAt: 1_000_000,
    fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
    secret: secret('pre-auth-secret'),
    pendingAuthorization: {
      state: secret('state'),
      codeVerifier: secret('pkce-verifier'),
      nonce: secret('nonce'),
      redirectUri: 'https://portal.example.org/callback',
      requestedScope: 'openid fhirUser',
      expiresAt: 2_000_000,
      endpoints: { authorizationEndpoint: 'https://ehr.example.org/authorize', tokenEndpoint: 'https://ehr.example.org/token' },
    },
  };
  const secrets = [
    signedIn.id,
    signedIn.secret,
    signedIn.tokens!.accessToken,
    signedIn.tokens!.refreshToken!,
    pending.id,
    pending.secret,
    pending.pendingAuthorization!.state,
    pending.pendingAuthorization!.codeVerifier,
    pending.pendingAuthorization!.nonce,
  ];
  return { sessions: [signedIn, pending], secrets };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which needles occur in any byte of any file under dir (as UTF-8, or as UTF-16LE just in case). */
function foundInFiles(dir: string, needles: readonly string[]): string[] {
  const files = filesUnder(dir).map((path) => readFileSync(path));
  return needles.filter((needle) => files.some((bytes) => bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))));
}

describe('sessions at rest', () => {
  it('a copy of the PGlite folder holds no token, cookie value, session secret or PKCE/state/nonce', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-at-rest-'));
    const copy = mkdtempSync(join(tmpdir(), 'sprout-at-rest-copy-'));
    try {
      const fhirUser = `https://ehr.example.org/fhir/R4/Person/${randomBytes(6).toString('hex')}`;
      const { sessions, secrets } = secretSessions(fhirUser);
      const store = await openPgliteStore({ dataDir: dir, sessionKeys: TEST_KEYS });
      for (const s of sessions) await store.sessions.create(s);
      await store.sessions.put({ ...sessions[0]!, tokens: { ...sessions[0]!.tokens!, accessToken: secrets[2]! } });
      expect((await store.sessions.get(sessions[0]!.id))?.tokens?.refreshToken).toBe(secrets[3]);
      await store.close();
      cpSync(dir, copy, { recursive: true });
      // The search does find what is meant to be in clear (so an empty result below means something).
      expect(foundInFiles(copy, [fhirUser, sessionRowKey(sessions[0]!.id)])).toEqual([fhirUser, sessionRowKey(sessions[0]!.id)]);
      expect(foundInFiles(copy, secrets)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });

  for (const backend of backends) {
    it(`${backend.name}: no row, in any column, holds a secret; rows are keyed by the id's hash`, async () => {
      const db = await backend.open();
      try {
        const { sessions, secrets } = secretSessions('https://ehr.example.org/fhir/R4/Person/g1');
        for (const s of sessions) await db.store.sessions.create(s);
        const rows = await db.sql<{ row: string; key: string }>('SELECT t::text AS row, key FROM sprout_sessions t');
        expect(rows.map((r) => r.key).sort()).toEqual(sessions.map((s) => sessionRowKey(s.id)).sort());
        for (const needle of secrets) for (const r of rows) expect(r.row).not.toContain(needle);
        expect(rows.every((r) => r.row.includes(`v1.${TEST_KEYS[0]!.kid}.`))).toBe(true);
      } finally {
        await db.close();
      }
    });

    it(`${backend.name}: rotates keys — old sessions open, rewrites seal with the new key, dropped keys fail closed`, async () => {
      const k0 = parseSessionKeys(generateSessionKey('k0'));
      const k1 = parseSessionKeys(generateSessionKey('k1'));
      const db = await backend.open(k0);
      try {
        const [a, b] = secretSessions('https://ehr.example.org/fhir/R4/Person/g1').sessions;
        await db.store.sessions.create(a!);
        await db.store.sessions.create(b!);
        const rotated = await db.reopen([...k1, ...k0]);
        expect(await rotated.sessions.get(a!.id)).toEqual(a);
        await rotated.sessions.put({ ...a!, lastSeenAt: 1_000_500 });
        const sealed = async (s: Session) => (await db.sql<{ sealed: string }>('SELECT sealed FROM sprout_sessions WHERE key = $1', [sessionRowKey(s.id)]))[0]!.sealed;
        expect(await sealed(a!)).toMatch(/^v1\.k1\./);
        expect(await sealed(b!)).toMatch(/^v1\.k0\./);
        const newOnly = await db.reopen(k1);
        expect((await newOnly.sessions.get(a!.id))?.tokens).toEqual(a!.tokens);
        expect(await newOnly.sessions.get(b!.id)).toBeUndefined(); // sealed under a key no longer configured
        // A sealed payload moved onto another row does not open there (the row key is authenticated).
        await db.sql('UPDATE sprout_sessions SET sealed = $1 WHERE key = $2', [await sealed(a!), sessionRowKey(b!.id)]);
        expect(await rotated.sessions.get(b!.id)).toBeUndefined();
        expect(await rotated.sessions.get(a!.id)).toBeDefined();
      } finally {
        await db.close();
      }
    });
  }
});

describe('the session key ring', () => {
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('seals and opens; tampering, an unknown key id or another row fail closed', () => {
    const keys = parseSessionKeys(`new:${key(1)},old:${key(2)}`);
    const sealer = createSealer(keys);
    const text = sealer.seal('{"hello":"world"}', 'row-a');
    expect(text.startsWith('v1.new.')).toBe(true);
    expect(sealer.open(text, 'row-a')).toBe('{"hello":"world"}');
    expect(sealer.open(text, 'row-b')).toBeUndefined();
    const parts = text.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(sealer.open([...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.'), 'row-a')).toBeUndefined();
    expect(sealer.open(text.replace('v1.new.', 'v1.gone.'), 'row-a')).toBeUndefined();
    expect(sealer.open('not sealed', 'row-a')).toBeUndefined();
    expect(createSealer(parseSessionKeys(`old:${key(2)}`)).open(createSealer(parseSessionKeys(`old:${key(2)}`)).seal('x', 'r'), 'r')).toBe('x');
  });

  it.each([
    ['', /at least one key/],
    ['k1', /kid:base64key/],
    [`bad kid!:${key(1)}`, /kid:base64key/],
    ['k1:not*base64', /not base64/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, /32 bytes/],
    [`k1:${key(1)},k1:${key(2)}`, /appears twice/],
  ])('refuses SESSION_ENCRYPTION_KEYS=%j with a clear message naming the variable, never the key', (raw, message) => {
    const env = { FHIR_BASE_URL: 'https://ehr.example.org/fhir', CLIENT_ID: 'c', SESSION_ENCRYPTION_KEYS: raw === '' ? ',' : raw };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
    expect(() => parseConfig(env)).toThrow(/SESSION_ENCRYPTION_KEYS/);
    try {
      parseConfig(env);
    } catch (error) {
      expect(String(error)).not.toContain(key(1));
    }
    expect(() => parseStoreConfig(env)).toThrow(/SESSION_ENCRYPTION_KEYS/);
  });

  it('npm start keeps one owner-only development key in DATA_DIR, and defers to SESSION_ENCRYPTION_KEYS', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sprout-dev-keys-')), 'data');
    try {
      const first = devSessionKeys(dataDir, undefined);
      expect(first.createdFile).toBe(join(dataDir, DEV_KEY_FILE));
      expect(parseSessionKeys(first.keys).map((k) => k.kid)).toEqual(['dev1']);
      expect(statSync(join(dataDir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(devSessionKeys(dataDir, '')).toEqual({ keys: first.keys }); // same key on the next start
      expect(devSessionKeys(dataDir, `k9:${key(9)}`)).toEqual({ keys: `k9:${key(9)}` });
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });

  it('is required to open the store when PUBLIC_URL is not loopback; loopback development gets a per-process key', async () => {
    const production = parseConfig({ FHIR_BASE_URL: 'https://ehr.example.org/fhir', CLIENT_ID: 'c', PUBLIC_URL: 'https://portal.example.org' });
    await expect(openStore(production)).rejects.toThrow(/SESSION_ENCRYPTION_KEYS is required/);
    const config = parseConfig({ FHIR_BASE_URL: 'https://ehr.example.org/fhir', CLIENT_ID: 'c', SESSION_ENCRYPTION_KEYS: `k1:${key(3)}`, AUDIT_RETENTION_DAYS: '2555' });
    expect(config.sessionEncryptionKeys?.map((k) => k.kid)).toEqual(['k1']);
    expect(config.auditRetentionDays).toBe(2555);
    expect(() => parseConfig({ FHIR_BASE_URL: 'https://ehr.example.org/fhir', CLIENT_ID: 'c', AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
