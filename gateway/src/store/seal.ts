/**
 * Session payloads at rest: AES-256-GCM under a deployment key ring, and row keys derived from session ids.
 *
 * - Key ring: `kid:base64key[,kid:base64key…]` (SESSION_ENCRYPTION_KEYS). The first key seals; every key opens, so a
 *   key can be rotated in front of the old one and the old one dropped once sessions sealed with it have expired.
 * - Sealed text: `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url, 96-bit random IV, 128-bit tag). The row key is the
 *   additional authenticated data, so a sealed payload cannot be moved to another row.
 * - Row key: SHA-256 of the session id (hex). Session ids carry ≥ 256 bits from the CSPRNG, so an unkeyed hash is
 *   enough to make a database copy useless as a cookie, and lookups survive key rotation.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SessionKey {
  readonly kid: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

export interface Sealer {
  /** The key id new payloads are sealed with. */
  readonly currentKid: string;
  seal(plaintext: string, rowKey: string): string;
  /** The plaintext, or undefined when the text is malformed, sealed under an unknown key, or fails authentication. */
  open(sealed: string, rowKey: string): string | undefined;
}

const KID = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION = 'v1';

export class SessionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionKeyError';
  }
}

/** Parse `kid:base64key,…`. Throws SessionKeyError with a message naming the bad entry (never the key material). */
export function parseSessionKeys(raw: string): readonly SessionKey[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new SessionKeyError('must list at least one key as kid:base64key');
  const keys: SessionKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon);
    const material = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KID.test(kid)) throw new SessionKeyError(`entry ${index + 1} must be kid:base64key with a kid of letters, digits, - or _ (at most 64)`);
    if (seen.has(kid)) throw new SessionKeyError(`key id "${kid}" appears twice`);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) throw new SessionKeyError(`key "${kid}" is not base64`);
    const key = Buffer.from(material.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length !== 32) throw new SessionKeyError(`key "${kid}" must be 32 bytes (256 bits) once base64-decoded, got ${key.length}`);
    seen.add(kid);
    keys.push(Object.freeze({ kid, key }));
  });
  return Object.freeze(keys);
}

/** A fresh key-ring entry, `kid:base64key` (what `npm start` writes for development). */
export function generateSessionKey(kid: string): string {
  if (!KID.test(kid)) throw new SessionKeyError(`key id "${kid}" must be letters, digits, - or _`);
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

export function createSealer(keys: readonly SessionKey[]): Sealer {
  const current = keys[0];
  if (current === undefined) throw new SessionKeyError('must list at least one key as kid:base64key');
  const byKid = new Map(keys.map((k) => [k.kid, k.key]));
  return {
    currentKid: current.kid,
    seal(plaintext, rowKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(rowKey, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, current.kid, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
    },
    open(sealed, rowKey) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
      const [, kid, iv, ciphertext, tag] = parts as [string, string, string, string, string];
      const key = byKid.get(kid);
      if (key === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
        decipher.setAAD(Buffer.from(rowKey, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The key id a sealed payload names (for re-sealing after rotation), or undefined when malformed. */
export function sealedKid(sealed: string): string | undefined {
  const parts = sealed.split('.');
  return parts.length === 5 && parts[0] === VERSION ? parts[1] : undefined;
}

/** The database row key for a session id: SHA-256, hex. The raw id never reaches the database. */
export function sessionRowKey(sessionId: string): string {
  return createHash('sha256').update(`sprout-session:${sessionId}`, 'utf8').digest('hex');
}

/** A one-process key ring (in-memory databases and loopback development without SESSION_ENCRYPTION_KEYS). */
export function ephemeralSessionKeys(): readonly SessionKey[] {
  return Object.freeze([Object.freeze({ kid: `ephemeral-${randomBytes(4).toString('hex')}`, key: randomBytes(32) })]);
}
