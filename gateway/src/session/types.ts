/**
 * Server-side sessions. The browser holds only an opaque session id in an HttpOnly cookie;
 * everything else (tokens, launch context, CSRF token) lives here.
 */
import type { Principal } from '../policy/types.ts';

export interface SessionTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds when the access token expires (conservative when the server gave no expires_in). */
  readonly accessTokenExpiresAt: number;
  /** Epoch milliseconds when the access token was received; with the expiry it gives the lifetime (refresh skew). */
  readonly accessTokenIssuedAt?: number;
  readonly scope: string;
  readonly tokenType: string;
}

export interface Session {
  readonly id: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The FHIR base this session's token is for (the launch's iss, or the standalone base). */
  readonly fhirBaseUrl: string;
  /** Absent until the OAuth callback completes. */
  readonly principal?: Principal;
  readonly tokens?: SessionTokens;
  /** Launch context from the token response (patient, encounter, need_patient_banner, smart_style_url …). */
  readonly launchContext?: Readonly<Record<string, unknown>>;
  /** Open-server test mode: no OAuth, no token; the UI shows a test-mode label. */
  readonly openServerMode?: boolean;
  /** Per-session random secret for the CSRF token and the facade's paging cursors. */
  readonly secret: string;
  /**
   * Pre-auth sessions only: the authorization request in flight (state, PKCE verifier, nonce …), single use —
   * the callback removes it before exchanging the code.
   */
  readonly pendingAuthorization?: PendingAuthorization;
  /** The authorization server's endpoints from discovery (for refresh and revocation). Absent in open-server mode. */
  readonly endpoints?: SmartEndpoints;
}

/** The authorization server as discovered from `{fhirBaseUrl}/.well-known/smart-configuration`, origins checked. */
export interface SmartEndpoints {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint?: string;
  /** The OpenID issuer the id_token must name. */
  readonly issuer?: string;
  readonly jwksUri?: string;
  /** Discovery's token_endpoint_auth_methods_supported, when listed (client-auth.ts chooses from it). */
  readonly tokenEndpointAuthMethods?: readonly string[];
}

/** One authorization request between /launch|/login and /callback. Never leaves the server. */
export interface PendingAuthorization {
  /** ≥ 256 bits from the CSPRNG, base64url. */
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly redirectUri: string;
  /** The scope string requested (the token response says what was granted). */
  readonly requestedScope: string;
  /** The EHR launch's opaque `launch` parameter, when this is an EHR launch. */
  readonly launch?: string;
  /** Same-origin path to land on after sign-in. */
  readonly returnTo?: string;
  /** Epoch ms after which the callback is refused. */
  readonly expiresAt: number;
  readonly endpoints: SmartEndpoints;
}
