/**
 * OpenID Connect id_token verification with jose: signature against the issuer's published JWKS, an algorithm
 * allow-list (never `none`, never HMAC with a public key), `iss` = the discovered issuer, `aud` = our client id
 * (and `azp` when there are several audiences), `exp`/`iat`, and the `nonce` we sent.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { fetchJson, SmartError, type FetchLike } from './http.ts';

export const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'RS384', 'ES384'] as const;
const CLOCK_TOLERANCE_SECONDS = 30;

export interface VerifiedIdToken {
  readonly subject: string;
  /** The fhirUser claim exactly as issued, when present. */
  readonly fhirUser: string | undefined;
  readonly name: string | undefined;
}

export async function fetchJwks(fetchFn: FetchLike, jwksUri: string): Promise<JSONWebKeySet> {
  const response = await fetchJson(fetchFn, jwksUri);
  const body = response.body;
  if (!response.ok || typeof body !== 'object' || body === null || !('keys' in body) || !Array.isArray(body.keys)) {
    throw new SmartError('bad-response', `jwks_uri answered ${response.status} without a key set`);
  }
  return body as JSONWebKeySet;
}

export async function verifyIdToken(
  idToken: string,
  options: { readonly jwks: JSONWebKeySet; readonly issuer: string; readonly clientId: string; readonly nonce: string; readonly now: number },
): Promise<VerifiedIdToken> {
  let payload;
  try {
    ({ payload } = await jwtVerify(idToken, createLocalJWKSet(options.jwks), {
      issuer: options.issuer,
      audience: options.clientId,
      algorithms: [...ID_TOKEN_ALGORITHMS],
      currentDate: new Date(options.now),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (cause) {
    const reason = cause instanceof joseErrors.JOSEError ? cause.code : 'malformed';
    throw new SmartError('id-token', `id_token refused (${reason})`, { cause });
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== options.clientId) {
    throw new SmartError('id-token', 'id_token refused (azp is not this client)');
  }
  if (payload.nonce !== options.nonce) throw new SmartError('id-token', 'id_token refused (nonce mismatch)');
  const fhirUser = payload.fhirUser;
  const name = payload.name;
  return {
    subject: String(payload.sub),
    fhirUser: typeof fhirUser === 'string' ? fhirUser : undefined,
    name: typeof name === 'string' ? name : undefined,
  };
}
