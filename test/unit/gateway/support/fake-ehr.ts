/**
 * A fake EHR for gateway tests, reached only through an injected fetch (no ports): SMART discovery, an authorization
 * step driven by the test (`approve`), a token endpoint with client_secret_basic, PKCE S256 checks, refresh-token
 * rotation that refuses reuse, revocation, a JWKS, id_tokens signed with jose, and a tiny FHIR read API that demands
 * a live bearer token. Every request is recorded, so tests can assert that nothing reached a hostile host.
 */
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Resource } from 'fhir/r4';

export const EHR_ORIGIN = 'https://ehr.example.org';
export const EHR_BASE = `${EHR_ORIGIN}/fhir/R4`;
export const EHR_ISSUER = `${EHR_ORIGIN}/oidc`;
export const CLIENT_ID = 'sprout-portal';
export const CLIENT_SECRET = 'test-client-secret-value';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

interface IssuedCode {
  readonly codeChallenge: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly nonce: string | undefined;
  readonly fhirUser: string;
  readonly patient: string | undefined;
  used: boolean;
}

export interface ApproveOptions {
  readonly fhirUser?: string;
  readonly patient?: string;
  /** Replace the id_token claims (after defaults) or its signing; for hostile cases. */
  readonly idToken?: (defaults: JWTPayload) => Promise<string>;
  readonly omitIdToken?: boolean;
  readonly tokenType?: string;
  readonly expiresIn?: number | null;
  readonly extra?: Record<string, unknown>;
}

export interface FakeEhrOptions {
  readonly now: () => number;
  readonly smartConfiguration?: (defaults: Record<string, unknown>) => Record<string, unknown>;
}

export class FakeEhr {
  readonly requests: RecordedRequest[] = [];
  readonly resources = new Map<string, Resource>();
  /** Access tokens → expiry (epoch ms). */
  readonly accessTokens = new Map<string, number>();
  /** Refresh tokens → spent? */
  readonly refreshTokens = new Map<string, boolean>();
  readonly revoked: string[] = [];
  refreshCalls = 0;
  accessTokenLifetimeSeconds = 3600;
  /** false: an open FHIR server (like public HAPI) that serves reads without a token. */
  requireToken = true;
  readonly #codes = new Map<string, IssuedCode & { approve: ApproveOptions }>();
  readonly #options: FakeEhrOptions;
  #privateKey!: CryptoKey;
  #jwk!: JWK;

  private constructor(options: FakeEhrOptions) {
    this.#options = options;
  }

  static async create(options: FakeEhrOptions): Promise<FakeEhr> {
    const ehr = new FakeEhr(options);
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    ehr.#privateKey = privateKey;
    ehr.#jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    return ehr;
  }

  /** Every secret the EHR ever issued (for "no token in any response" scans). */
  secretsIssued(): string[] {
    return [...this.accessTokens.keys(), ...this.refreshTokens.keys(), CLIENT_SECRET, ...this.#codes.keys()];
  }

  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.startsWith(prefix));
  }

  /** Sign an id_token with the EHR's real key. */
  signIdToken(claims: JWTPayload, header: { alg?: string; kid?: string } = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: header.alg ?? 'RS256', kid: header.kid ?? 'k1' }).sign(this.#privateKey);
  }

  defaultClaims(code: IssuedCode): JWTPayload {
    const nowSeconds = Math.floor(this.#options.now() / 1000);
    return {
      iss: EHR_ISSUER,
      sub: 'user-1',
      aud: CLIENT_ID,
      iat: nowSeconds,
      exp: nowSeconds + 300,
      ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      fhirUser: code.fhirUser,
      name: 'Test User',
    };
  }

  /**
   * The user approves at the authorize endpoint: checks the request the way a strict server would and returns the
   * redirect back to the portal's callback.
   */
  approve(authorizeUrl: string, options: ApproveOptions = {}): string {
    const url = new URL(authorizeUrl);
    const p = url.searchParams;
    if (`${url.origin}${url.pathname}` !== `${EHR_ORIGIN}/oidc/authorize`) throw new Error(`authorize at unexpected URL ${authorizeUrl}`);
    if (p.get('response_type') !== 'code' || p.get('client_id') !== CLIENT_ID) throw new Error('bad authorize request');
    if (p.get('code_challenge_method') !== 'S256' || (p.get('code_challenge') ?? '') === '') throw new Error('PKCE S256 missing');
    if (p.get('aud') !== EHR_BASE) throw new Error(`aud is ${p.get('aud')}`);
    const code = randomBytes(16).toString('hex');
    this.#codes.set(code, {
      codeChallenge: p.get('code_challenge') ?? '',
      redirectUri: p.get('redirect_uri') ?? '',
      scope: p.get('scope') ?? '',
      nonce: p.get('nonce') ?? undefined,
      fhirUser: options.fhirUser ?? `${EHR_BASE}/RelatedPerson/rp-1`,
      patient: options.patient,
      used: false,
      approve: options,
    });
    const back = new URL(p.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', p.get('state') ?? '');
    return back.href;
  }

  readonly fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    this.requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const url = new URL(request.url);
    if (url.origin !== EHR_ORIGIN) throw new TypeError(`fetch failed: no route to ${url.origin}`);
    const path = url.pathname;
    if (path === '/fhir/R4/.well-known/smart-configuration') return json(this.#smartConfiguration());
    if (path === '/oidc/jwks') return json({ keys: [this.#jwk] });
    if (path === '/oidc/token' && request.method === 'POST') return this.#token(request.headers, new URLSearchParams(body));
    if (path === '/oidc/revoke' && request.method === 'POST') {
      const token = new URLSearchParams(body).get('token') ?? '';
      this.revoked.push(token);
      this.accessTokens.delete(token);
      if (this.refreshTokens.has(token)) this.refreshTokens.set(token, true);
      return new Response(null, { status: 200 });
    }
    if (path.startsWith('/fhir/R4/')) return this.#fhir(request.headers, path.slice('/fhir/R4/'.length));
    return json({ error: 'not_found' }, 404);
  };

  #smartConfiguration(): Record<string, unknown> {
    const defaults: Record<string, unknown> = {
      issuer: EHR_ISSUER,
      jwks_uri: `${EHR_ORIGIN}/oidc/jwks`,
      authorization_endpoint: `${EHR_ORIGIN}/oidc/authorize`,
      token_endpoint: '/oidc/token', // relative on purpose: the client must resolve it against the base
      revocation_endpoint: `${EHR_ORIGIN}/oidc/revoke`,
      capabilities: ['launch-ehr', 'launch-standalone', 'client-confidential-symmetric', 'sso-openid-connect', 'permission-v2'],
      code_challenge_methods_supported: ['S256'],
    };
    return this.#options.smartConfiguration?.(defaults) ?? defaults;
  }

  #clientAuthenticated(headers: Headers): boolean {
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    return headers.get('authorization') === expected;
  }

  #newAccessToken(): string {
    const token = `at-${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(token, this.#options.now() + this.accessTokenLifetimeSeconds * 1000);
    return token;
  }

  async #token(headers: Headers, form: URLSearchParams): Promise<Response> {
    if (!this.#clientAuthenticated(headers)) return json({ error: 'invalid_client' }, 401);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const issued = this.#codes.get(form.get('code') ?? '');
      if (issued === undefined || issued.used) return json({ error: 'invalid_grant' }, 400);
      issued.used = true;
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) return json({ error: 'invalid_grant', error_description: 'PKCE' }, 400);
      if (form.get('redirect_uri') !== issued.redirectUri) return json({ error: 'invalid_grant' }, 400);
      const o = issued.approve;
      const refreshToken = `rt-${randomBytes(16).toString('hex')}`;
      this.refreshTokens.set(refreshToken, false);
      const idToken = o.omitIdToken === true ? undefined : await (o.idToken ?? ((claims) => this.signIdToken(claims)))(this.defaultClaims(issued));
      return json({
        access_token: this.#newAccessToken(),
        token_type: o.tokenType ?? 'bearer',
        ...(o.expiresIn === null ? {} : { expires_in: o.expiresIn ?? this.accessTokenLifetimeSeconds }),
        scope: issued.scope,
        refresh_token: refreshToken,
        ...(idToken === undefined ? {} : { id_token: idToken }),
        ...(issued.patient === undefined ? {} : { patient: issued.patient }),
        ...o.extra,
      });
    }
    if (grant === 'refresh_token') {
      this.refreshCalls += 1;
      const presented = form.get('refresh_token') ?? '';
      if (this.refreshTokens.get(presented) !== false) return json({ error: 'invalid_grant', error_description: 'refresh token reused or unknown' }, 400);
      this.refreshTokens.set(presented, true);
      const rotated = `rt-${randomBytes(16).toString('hex')}`;
      this.refreshTokens.set(rotated, false);
      return json({ access_token: this.#newAccessToken(), token_type: 'Bearer', expires_in: this.accessTokenLifetimeSeconds, refresh_token: rotated });
    }
    return json({ error: 'unsupported_grant_type' }, 400);
  }

  #fhir(headers: Headers, relative: string): Response {
    const auth = headers.get('authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    const expiry = this.accessTokens.get(token);
    if (this.requireToken && (expiry === undefined || expiry <= this.#options.now())) return json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }, 401);
    const resource = this.resources.get(relative);
    if (resource === undefined) return json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, 404);
    return json(resource, 200, 'application/fhir+json');
  }
}

function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}
