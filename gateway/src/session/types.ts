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
}
