/**
 * Token endpoint calls (authorization code, refresh) and revocation, with `private_key_jwt` (a client assertion from
 * client-auth.ts) or `client_secret_basic` client authentication (or a public client id in development). Responses are validated; nothing here logs or echoes a token.
 */
import { z } from 'zod';
import { fetchJson, SmartError, type FetchLike } from './http.ts';

/** When the server omits expires_in, assume the token lives this long (refresh early rather than fail late). */
export const CONSERVATIVE_TOKEN_LIFETIME_SECONDS = 300;

export interface ClientCredentials {
  readonly clientId: string;
  /** Absent → public client: client_id goes in the body (development only). */
  readonly clientSecret: string | undefined;
  /** private_key_jwt: signs a fresh RFC 7523 client_assertion per request (client-auth.ts); takes precedence over the secret. */
  readonly clientAssertion?: () => Promise<string>;
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  patient: z.string().min(1).optional(),
  encounter: z.string().min(1).optional(),
  need_patient_banner: z.boolean().optional(),
  smart_style_url: z.string().optional(),
});

export interface TokenResponse {
  readonly accessToken: string;
  /** Lower-cased ("bearer"). */
  readonly tokenType: string;
  /** Seconds; the conservative default when the server gave none. */
  readonly expiresIn: number;
  readonly scope: string | undefined;
  readonly refreshToken: string | undefined;
  readonly idToken: string | undefined;
  readonly patient: string | undefined;
  readonly encounter: string | undefined;
  readonly needPatientBanner: boolean | undefined;
  readonly smartStyleUrl: string | undefined;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64. */
function basicAuthorization(credentials: ClientCredentials & { clientSecret: string }): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(credentials.clientId)}:${encode(credentials.clientSecret)}`).toString('base64')}`;
}

async function clientAuth(credentials: ClientCredentials, form: URLSearchParams): Promise<Record<string, string>> {
  if (credentials.clientAssertion !== undefined) {
    form.set('client_id', credentials.clientId);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await credentials.clientAssertion());
    return {};
  }
  if (credentials.clientSecret === undefined) {
    form.set('client_id', credentials.clientId);
    return {};
  }
  return { Authorization: basicAuthorization({ clientId: credentials.clientId, clientSecret: credentials.clientSecret }) };
}

function oauthErrorCode(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') return body.error.slice(0, 64);
  return undefined;
}

async function postTokenRequest(fetchFn: FetchLike, tokenEndpoint: string, credentials: ClientCredentials, form: URLSearchParams): Promise<TokenResponse> {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', ...(await clientAuth(credentials, form)) };
  const response = await fetchJson(fetchFn, tokenEndpoint, { method: 'POST', headers, body: form.toString() });
  if (!response.ok) {
    const code = oauthErrorCode(response.body);
    // invalid_grant: the code or refresh token is spent, expired or revoked — the session cannot continue.
    throw new SmartError(code === 'invalid_grant' ? 'invalid-grant' : 'refused', `token endpoint answered ${response.status}${code === undefined ? '' : ` (${code})`}`);
  }
  const parsed = TokenResponseSchema.safeParse(response.body);
  if (!parsed.success) throw new SmartError('bad-response', `token response has bad fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const t = parsed.data;
  if (t.token_type.toLowerCase() !== 'bearer') throw new SmartError('bad-response', 'token_type is not Bearer');
  return {
    accessToken: t.access_token,
    tokenType: 'bearer',
    expiresIn: t.expires_in ?? CONSERVATIVE_TOKEN_LIFETIME_SECONDS,
    scope: t.scope,
    refreshToken: t.refresh_token,
    idToken: t.id_token,
    patient: t.patient,
    encounter: t.encounter,
    needPatientBanner: t.need_patient_banner,
    smartStyleUrl: t.smart_style_url,
  };
}

export function exchangeAuthorizationCode(
  fetchFn: FetchLike,
  tokenEndpoint: string,
  credentials: ClientCredentials,
  params: { readonly code: string; readonly redirectUri: string; readonly codeVerifier: string },
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: params.code, redirect_uri: params.redirectUri, code_verifier: params.codeVerifier });
  return postTokenRequest(fetchFn, tokenEndpoint, credentials, form);
}

/** SMART Backend Services: a system token for the portal itself (no user), e.g. to watch for new messages. */
export function requestClientCredentialsToken(fetchFn: FetchLike, tokenEndpoint: string, credentials: ClientCredentials, scope: string): Promise<TokenResponse> {
  return postTokenRequest(fetchFn, tokenEndpoint, credentials, new URLSearchParams({ grant_type: 'client_credentials', scope }));
}

export function refreshAccessToken(fetchFn: FetchLike, tokenEndpoint: string, credentials: ClientCredentials, refreshToken: string): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  return postTokenRequest(fetchFn, tokenEndpoint, credentials, form);
}

/** RFC 7009 revocation. Best effort: the caller has already deleted the session; failures are reported, not thrown. */
export async function revokeToken(
  fetchFn: FetchLike,
  revocationEndpoint: string,
  credentials: ClientCredentials,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<boolean> {
  const form = new URLSearchParams({ token, token_type_hint: hint });
  try {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', ...(await clientAuth(credentials, form)) };
    const response = await fetchJson(fetchFn, revocationEndpoint, { method: 'POST', headers, body: form.toString() });
    return response.ok;
  } catch {
    return false;
  }
}
