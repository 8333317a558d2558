/**
 * The gateway as a confidential SMART App Launch 2.2 client. Two steps:
 *  - beginAuthorization: discovery (origins checked), PKCE S256, state and nonce from the CSPRNG, `aud` = iss,
 *    `launch` echoed with scope `launch` for an EHR launch → the authorize URL and the pending request to keep server-side.
 *  - completeAuthorization: code exchange (client_secret_basic), id_token verified against the issuer's JWKS,
 *    fhirUser checked against the FHIR base → principal, tokens and launch context.
 * The caller (smart/routes.ts) is responsible for the `iss` allow-list (before calling anything here), for binding
 * state to the browser's pre-auth session, and for spending it once.
 */
import type { Config } from '../config.ts';
import type { Clock } from '../http/clock.ts';
import type { Principal } from '../policy/types.ts';
import type { PendingAuthorization, SessionTokens, SmartEndpoints } from '../session/types.ts';
import { discoverSmartEndpoints } from './discovery.ts';
import { principalFromFhirUser } from './fhir-user.ts';
import { SmartError, type FetchLike } from './http.ts';
import { errors as joseErrors, type JSONWebKeySet } from 'jose';
import { fetchJwks, verifyIdToken } from './id-token.ts';
import { allowedAuthOriginsFor } from './iss.ts';
import { pkceChallengeS256, randomToken } from './random.ts';
import { createTtlCache } from './ttl-cache.ts';
import { credentialsFor } from './client-auth.ts';
import { exchangeAuthorizationCode, refreshAccessToken, revokeToken, type TokenResponse } from './token.ts';

/** How long the browser has to come back from the authorization server. */
export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

/**
 * The authorization server's public metadata is cached per process: a burst of sign-ins costs one discovery fetch
 * and one JWKS fetch. An id_token signed with a key id the cached JWKS lacks (the server rotated its keys) re-fetches
 * the JWKS once, but not more often than JWKS_MIN_REFETCH_MS, so forged kids cannot turn into a fetch per request.
 */
export const DISCOVERY_CACHE_TTL_MS = 5 * 60 * 1000;
export const JWKS_CACHE_TTL_MS = 15 * 60 * 1000;
export const JWKS_MIN_REFETCH_MS = 30 * 1000;
const METADATA_CACHE_MAX_ENTRIES = 32;

export interface BeginAuthorizationInput {
  /** An allowed FHIR base (the configured string, never the raw `iss` parameter). */
  readonly fhirBaseUrl: string;
  readonly launch?: string;
  readonly returnTo?: string;
}

export interface CompletedAuthorization {
  readonly principal: Principal;
  readonly userName: string | undefined;
  readonly tokens: SessionTokens;
  readonly launchContext: Readonly<Record<string, unknown>>;
}

export interface SmartClient {
  beginAuthorization(input: BeginAuthorizationInput): Promise<{ readonly authorizeUrl: string; readonly pending: PendingAuthorization }>;
  completeAuthorization(pending: PendingAuthorization, fhirBaseUrl: string, code: string): Promise<CompletedAuthorization>;
  /** Spend the refresh token once; returns the new tokens (the new refresh token when the server rotated it). */
  refresh(endpoints: SmartEndpoints, tokens: SessionTokens): Promise<SessionTokens>;
  /** Best-effort revocation of the refresh and access tokens, when the server advertises revocation. */
  revoke(endpoints: SmartEndpoints, tokens: SessionTokens): Promise<void>;
}

export function createSmartClient(deps: { readonly config: Config; readonly fetch: FetchLike; readonly clock: Clock }): SmartClient {
  const { config, clock } = deps;
  /** private_key_jwt or client_secret_basic, as configured and as this server supports (client-auth.ts). */
  const credentialsOf = (endpoints: SmartEndpoints) => credentialsFor(config, endpoints, clock.now);
  const redirectUri = `${config.publicUrl}/callback`;
  const discoveryCache = createTtlCache<SmartEndpoints>({ ttlMs: DISCOVERY_CACHE_TTL_MS, maxEntries: METADATA_CACHE_MAX_ENTRIES, now: clock.now });
  const jwksCache = createTtlCache<JSONWebKeySet>({ ttlMs: JWKS_CACHE_TTL_MS, maxEntries: METADATA_CACHE_MAX_ENTRIES, now: clock.now });
  const jwksAt = (uri: string) => jwksCache.get(uri, () => fetchJwks(deps.fetch, uri));

  function tokensFrom(response: TokenResponse, previous?: SessionTokens): SessionTokens {
    const refreshToken = response.refreshToken ?? previous?.refreshToken;
    return {
      accessToken: response.accessToken,
      ...(refreshToken === undefined ? {} : { refreshToken }),
      accessTokenExpiresAt: clock.now() + response.expiresIn * 1000,
      accessTokenIssuedAt: clock.now(),
      // RFC 6749 §5.1: an absent scope means "as requested" (or, on refresh, as before).
      scope: response.scope ?? previous?.scope ?? '',
      tokenType: response.tokenType,
    };
  }

  return {
    async beginAuthorization(input) {
      const allowedOrigins = allowedAuthOriginsFor(input.fhirBaseUrl, config.allowedAuthOrigins);
      const endpoints = await discoveryCache.get(input.fhirBaseUrl, () => discoverSmartEndpoints(input.fhirBaseUrl, { fetch: deps.fetch, allowedOrigins }));
      credentialsOf(endpoints); // no client authentication method in common → refused before the user signs in
      const scopes = new Set(config.scopes);
      if (input.launch !== undefined) scopes.add('launch');
      const requestedScope = [...scopes].join(' ');
      const pending: PendingAuthorization = {
        state: randomToken(),
        codeVerifier: randomToken(48),
        nonce: randomToken(),
        redirectUri,
        requestedScope,
        ...(input.launch === undefined ? {} : { launch: input.launch }),
        ...(input.returnTo === undefined ? {} : { returnTo: input.returnTo }),
        expiresAt: clock.now() + PENDING_AUTHORIZATION_TTL_MS,
        endpoints,
      };
      const url = new URL(endpoints.authorizationEndpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', config.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', requestedScope);
      url.searchParams.set('state', pending.state);
      url.searchParams.set('aud', input.fhirBaseUrl);
      url.searchParams.set('code_challenge', pkceChallengeS256(pending.codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('nonce', pending.nonce);
      if (input.launch !== undefined) url.searchParams.set('launch', input.launch);
      return { authorizeUrl: url.href, pending };
    },

    async completeAuthorization(pending, fhirBaseUrl, code) {
      const { endpoints } = pending;
      const response = await exchangeAuthorizationCode(deps.fetch, endpoints.tokenEndpoint, credentialsOf(endpoints), {
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      });
      const tokens = tokensFrom({ ...response, scope: response.scope ?? pending.requestedScope });
      if (response.idToken === undefined) throw new SmartError('id-token', 'the token response has no id_token (scope openid not granted?)');
      if (endpoints.issuer === undefined || endpoints.jwksUri === undefined) {
        throw new SmartError('id-token', 'smart-configuration has no issuer or jwks_uri; the id_token cannot be verified');
      }
      const { jwksUri, issuer } = endpoints;
      const idTokenJwt = response.idToken;
      const verifyWith = async (jwks: JSONWebKeySet) =>
        verifyIdToken(idTokenJwt, { jwks, issuer, clientId: config.clientId, nonce: pending.nonce, now: clock.now() });
      let idToken;
      try {
        idToken = await verifyWith(await jwksAt(jwksUri));
      } catch (error) {
        const unknownKid = error instanceof SmartError && error.cause instanceof joseErrors.JWKSNoMatchingKey;
        const loadedAt = jwksCache.loadedAt(jwksUri);
        if (!unknownKid || (loadedAt !== undefined && clock.now() - loadedAt < JWKS_MIN_REFETCH_MS)) throw error;
        jwksCache.invalidate(jwksUri);
        idToken = await verifyWith(await jwksAt(jwksUri));
      }
      if (idToken.fhirUser === undefined) throw new SmartError('id-token', 'the id_token has no fhirUser claim (scope fhirUser not granted?)');
      const grantedScopes = tokens.scope.split(/\s+/).filter((s) => s !== '');
      const principal = principalFromFhirUser(idToken.fhirUser, fhirBaseUrl, grantedScopes);
      if (principal === undefined) throw new SmartError('id-token', 'the id_token fhirUser is not a RelatedPerson, Person, Patient or Practitioner on this FHIR server');

      const styleOrigins = allowedAuthOriginsFor(fhirBaseUrl, config.allowedAuthOrigins);
      const launchContext: Record<string, unknown> = {
        // SMART: an absent need_patient_banner means the app must show the banner.
        need_patient_banner: response.needPatientBanner ?? true,
      };
      if (response.patient !== undefined) launchContext['patient'] = response.patient;
      if (response.encounter !== undefined) launchContext['encounter'] = response.encounter;
      if (response.smartStyleUrl !== undefined && isOnOrigins(response.smartStyleUrl, styleOrigins)) launchContext['smart_style_url'] = response.smartStyleUrl;
      return { principal, userName: idToken.name, tokens, launchContext };
    },

    async refresh(endpoints, tokens) {
      if (tokens.refreshToken === undefined) throw new SmartError('invalid-grant', 'the session has no refresh token');
      const response = await refreshAccessToken(deps.fetch, endpoints.tokenEndpoint, credentialsOf(endpoints), tokens.refreshToken);
      return tokensFrom(response, tokens);
    },

    async revoke(endpoints, tokens) {
      if (endpoints.revocationEndpoint === undefined) return;
      const credentials = credentialsOf(endpoints);
      const revocations = [revokeToken(deps.fetch, endpoints.revocationEndpoint, credentials, tokens.accessToken, 'access_token')];
      if (tokens.refreshToken !== undefined) revocations.push(revokeToken(deps.fetch, endpoints.revocationEndpoint, credentials, tokens.refreshToken, 'refresh_token'));
      await Promise.all(revocations);
    },
  };
}

function isOnOrigins(value: string, origins: ReadonlySet<string>): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '' && origins.has(url.origin);
  } catch {
    return false;
  }
}
