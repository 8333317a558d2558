/**
 * How the gateway authenticates to an authorization server's token and revocation endpoints:
 *  - `private_key_jwt` (SMART "confidential asymmetric", RFC 7523): a fresh `client_assertion` per request, signed with
 *    an RS384 or ES384 key from configuration; `iss` = `sub` = client id, `aud` = the token endpoint, a random `jti`,
 *    `exp` five minutes out at most, the key's `kid` in the header. The public half is served as the portal's JWKS.
 *  - `client_secret_basic` (SMART "confidential symmetric"), or a public client id in development.
 * The method is chosen per server from discovery's `token_endpoint_auth_methods_supported` (asymmetric first when
 * keys are configured), or forced with CLIENT_AUTH_METHOD. Key parsing is synchronous and pure so that config.ts can
 * refuse bad keys at start-up with a message naming the variable.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SmartEndpoints } from '../session/types.ts';
import { SmartError } from './http.ts';
import type { ClientCredentials } from './token.ts';

export const CLIENT_AUTH_METHODS = ['auto', 'private_key_jwt', 'client_secret_basic'] as const;
export type ClientAuthMethodSetting = (typeof CLIENT_AUTH_METHODS)[number];
export type ClientAuthMethod = 'private_key_jwt' | 'client_secret_basic' | 'none';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** RFC 7523 assertions are single-use and short-lived; SMART asks for at most five minutes. */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 300;
const MIN_RSA_BITS = 2048;

export interface ClientSigningKey {
  readonly kid: string;
  readonly alg: 'RS384' | 'ES384';
  readonly privateKey: KeyObject;
  /** The public JWK as published at /.well-known/jwks.json. */
  readonly publicJwk: Readonly<Record<string, unknown>>;
}

/** Thrown by the key parsers; config.ts turns the message into a start-up error naming the variable. */
export class ClientKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientKeyError';
  }
}

/** RFC 7638 thumbprint of a public JWK (the default `kid`). */
function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members = jwk['kty'] === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['e', 'kty', 'n'];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

function signingKeyFrom(privateKey: KeyObject, where: string, requested: { kid?: unknown; alg?: unknown } = {}): ClientSigningKey {
  if (privateKey.type !== 'private') throw new ClientKeyError(`${where} is not a private key`);
  let alg: ClientSigningKey['alg'];
  if (privateKey.asymmetricKeyType === 'rsa') {
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new ClientKeyError(`${where} is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
    alg = 'RS384';
  } else if (privateKey.asymmetricKeyType === 'ec' && privateKey.asymmetricKeyDetails?.namedCurve === 'secp384r1') {
    alg = 'ES384';
  } else {
    const detail = privateKey.asymmetricKeyDetails?.namedCurve ?? privateKey.asymmetricKeyType ?? 'unknown';
    throw new ClientKeyError(`${where} is a ${detail} key; use an RSA key (RS384) or an EC P-384 key (ES384)`);
  }
  if (requested.alg !== undefined && requested.alg !== alg) {
    throw new ClientKeyError(`${where} says alg "${String(requested.alg)}" but the key can only be used for ${alg}`);
  }
  const publicExport = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = typeof requested.kid === 'string' && requested.kid !== '' ? requested.kid : jwkThumbprint(publicExport);
  const members = publicExport['kty'] === 'EC' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'n', 'e'];
  const publicJwk = Object.freeze({
    ...Object.fromEntries(members.map((m) => [m, publicExport[m]])),
    kid,
    alg,
    use: 'sig',
    key_ops: ['verify'],
  });
  return Object.freeze({ kid, alg, privateKey, publicJwk });
}

/**
 * CLIENT_PRIVATE_KEYS: one or more PEM private keys (PKCS#8, or PKCS#1 RSA / SEC1 EC), concatenated. `\n` escapes
 * are accepted for one-line environment values.
 */
export function parsePemPrivateKeys(text: string): ClientSigningKey[] {
  const normalized = text.includes('-----BEGIN') && !text.includes('\n') ? text.replace(/\\n/g, '\n') : text;
  const blocks = normalized.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  if (blocks.length === 0) throw new ClientKeyError('contains no PEM block (expected "-----BEGIN PRIVATE KEY-----")');
  return blocks.map((block, index) => {
    const where = `PEM key #${index + 1}`;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: block, format: 'pem' });
    } catch {
      throw new ClientKeyError(`${where} could not be read as an unencrypted private key`);
    }
    return signingKeyFrom(key, where);
  });
}

/** A JWKS document ({"keys": [...]}) of private JWKs, as read from CLIENT_JWKS_PATH. */
export function parsePrivateJwks(json: unknown): ClientSigningKey[] {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { keys?: unknown }).keys)) {
    throw new ClientKeyError('is not a JWKS document (expected {"keys": [...]})');
  }
  const keys = (json as { keys: unknown[] }).keys;
  if (keys.length === 0) throw new ClientKeyError('has no keys');
  return keys.map((jwk, index) => {
    const where = `key #${index + 1}`;
    if (typeof jwk !== 'object' || jwk === null || typeof (jwk as { d?: unknown }).d !== 'string') {
      throw new ClientKeyError(`${where} is not a private JWK (it has no "d")`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch {
      throw new ClientKeyError(`${where} could not be read as a private JWK`);
    }
    const { kid, alg } = jwk as { kid?: unknown; alg?: unknown };
    return signingKeyFrom(key, where, { kid, alg });
  });
}

/** Refuses two keys with one kid (the authorization server could not tell them apart). */
export function checkDistinctKids(keys: readonly ClientSigningKey[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.kid)) throw new ClientKeyError(`has two keys with kid "${key.kid}"`);
    seen.add(key.kid);
  }
}

/** The portal's public JWKS document (empty when no keys are configured). */
export function publicJwks(keys: readonly ClientSigningKey[]): { keys: Array<Readonly<Record<string, unknown>>> } {
  return { keys: keys.map((key) => key.publicJwk) };
}

export interface ClientAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly clientAuthMethod: ClientAuthMethodSetting;
  readonly clientSigningKeys: readonly ClientSigningKey[];
}

/**
 * The method to use with a server. Forced → that method (config.ts made sure its material exists). Auto → the first
 * of private_key_jwt (keys configured), client_secret_basic (secret configured), none (neither) that the server lists;
 * a server that lists no methods is taken to support the first (RFC 8414 default: client_secret_basic).
 */
export function chooseClientAuthMethod(settings: ClientAuthSettings, serverMethods: readonly string[] | undefined): ClientAuthMethod {
  if (settings.clientAuthMethod !== 'auto') return settings.clientAuthMethod;
  const ours: ClientAuthMethod[] = [];
  if (settings.clientSigningKeys.length > 0) ours.push('private_key_jwt');
  if (settings.clientSecret !== undefined) ours.push('client_secret_basic');
  if (ours.length === 0) ours.push('none');
  if (serverMethods === undefined) return ours[0] as ClientAuthMethod;
  const chosen = ours.find((method) => serverMethods.includes(method));
  if (chosen === undefined) {
    throw new SmartError('bad-response', `the token endpoint supports ${serverMethods.join(', ') || 'no methods'}; this portal is configured for ${ours.join(', ')}`);
  }
  return chosen;
}

/** A signed RFC 7523 client assertion for one request to `audience` (the token endpoint). */
export async function signClientAssertion(key: ClientSigningKey, clientId: string, audience: string, nowMs: number): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomBytes(32).toString('base64url'))
    .setIssuedAt(now)
    .setExpirationTime(now + CLIENT_ASSERTION_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

/**
 * The credentials token.ts uses for one server: the chosen method's material, and for private_key_jwt a signer bound
 * to that server's token endpoint (also the audience for revocation, as SMART asks). The first configured key signs;
 * further keys are published so a rotation can add the new key before switching to it.
 */
export function credentialsFor(settings: ClientAuthSettings, endpoints: SmartEndpoints, now: () => number): ClientCredentials {
  const method = chooseClientAuthMethod(settings, endpoints.tokenEndpointAuthMethods);
  if (method === 'private_key_jwt') {
    const key = settings.clientSigningKeys[0];
    if (key === undefined) throw new SmartError('bad-response', 'private_key_jwt was chosen but no client key is configured');
    return {
      clientId: settings.clientId,
      clientSecret: undefined,
      clientAssertion: () => signClientAssertion(key, settings.clientId, endpoints.tokenEndpoint, now()),
    };
  }
  return { clientId: settings.clientId, clientSecret: method === 'client_secret_basic' ? settings.clientSecret : undefined };
}
