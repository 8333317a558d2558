/**
 * The sandbox's SMART authorization server: oidc-provider 9 configured for SMART App Launch 2.2 —
 * authorization code with PKCE S256 required, SMART v2 scopes, `launch` (EHR) and `launch/patient` (standalone)
 * context returned in the token response, `fhirUser` in RS256 id_tokens, refresh tokens rotated on every use (a
 * reused one fails with invalid_grant and revokes the grant), revocation, and a plain sign-in page. Consent is
 * auto-approved for registered clients: the sandbox plays an EHR that trusts its one portal.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Grant, type Interaction, type KoaContext } from 'oidc-provider';
import { ADVERTISED_SCOPES } from '../fhir/capability.ts';
import { html, page, raw } from '../http/html.ts';
import { SANDBOX_PASSWORD, type SandboxAccount } from './accounts.ts';
import { LaunchContextStore, type GrantContext, type LaunchContext } from './launch-contexts.ts';
import { createMemoryAdapter } from './memory-adapter.ts';
import { smartScopes } from './scopes.ts';

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret?: string;
  /**
   * private_key_jwt (SMART confidential asymmetric): the client's public keys, given directly or as a URL the server
   * fetches (the portal's /.well-known/jwks.json). Either one switches this registration from client_secret_basic.
   */
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  readonly jwksUri?: string;
  /**
   * How this client's id_tokens write `fhirUser`: the absolute URL (default) or, as SMART App Launch 2.x also allows
   * and some servers do, relative to the FHIR base (`Person/maria-rivera`).
   */
  readonly fhirUserForm?: 'absolute' | 'relative';
  readonly redirectUris: readonly string[];
  readonly launchUrl?: string;
}

export interface AuthorizationServerOptions {
  /** Absolute issuer URL, e.g. `http://127.0.0.1:4000/oidc`. */
  readonly issuer: string;
  readonly fhirBaseUrl: string;
  /** Where the interaction (sign-in) pages live, e.g. `/interaction`. */
  readonly interactionPath: string;
  readonly clients: readonly SandboxClient[];
  readonly resourceTypes: readonly string[];
  /** Current accounts (re-read on every sign-in so data written through FHIR counts). */
  readonly accounts: () => readonly SandboxAccount[];
  readonly launches: LaunchContextStore;
  readonly accessTokenTtlSeconds?: number;
}

export interface AuthorizationServer {
  readonly provider: Provider;
  /** Node handler for everything below the issuer path (the caller strips nothing; see `handleProviderRequest`). */
  handleProviderRequest(req: IncomingMessage, res: ServerResponse, pathBelowIssuer: string): void;
  handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: 'show' | 'login'): Promise<void>;
  /** Looks up a bearer token issued by this server; undefined when unknown, revoked or expired. */
  verifyAccessToken(token: string): Promise<{ accountId: string; clientId: string; scope: string } | undefined>;
}

function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

/** How a registered client authenticates at the token, revocation and introspection endpoints. */
export function clientAuthMethod(client: SandboxClient): 'private_key_jwt' | 'client_secret_basic' | 'none' {
  if (client.jwks !== undefined || client.jwksUri !== undefined) return 'private_key_jwt';
  return client.clientSecret ? 'client_secret_basic' : 'none';
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function normalizeUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

export function createAuthorizationServer(options: AuthorizationServerOptions): AuthorizationServer {
  const { launches } = options;
  const findAccount = (accountId: string): SandboxAccount | undefined =>
    options.accounts().find((account) => account.accountId === accountId);

  const provider: Provider = new Provider(options.issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      redirect_uris: [...client.redirectUris],
      // Confidential clients may also use client_credentials (SMART Backend Services: system/ scopes, no user).
      grant_types: clientAuthMethod(client) === 'none' ? ['authorization_code', 'refresh_token'] : ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: clientAuthMethod(client),
      ...(client.jwks ? { jwks: { keys: client.jwks.keys.map((key) => ({ ...key })) } } : {}),
      ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
      id_token_signed_response_alg: 'RS256',
    })),
    adapter: createMemoryAdapter(),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: smartScopes(options.resourceTypes),
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    // fhirUser belongs in the id_token even though an access token is issued alongside it (SMART §fhirUser).
    conformIdTokenClaims: false,
    extraParams: {
      launch(_ctx, value) {
        if (value !== undefined && !launches.find(String(value))) {
          throw new errors.InvalidRequest('launch is unknown or has expired; start again from the EHR');
        }
      },
      aud(_ctx, value) {
        if (typeof value !== 'string' || normalizeUrl(value) !== normalizeUrl(options.fhirBaseUrl)) {
          throw new errors.InvalidRequest(`aud must be this sandbox's FHIR base URL (${options.fhirBaseUrl})`);
        }
      },
    },
    responseTypes: ['code'],
    // oidc-provider refuses outgoing requests to loopback and private addresses (SSRF protection). The sandbox and the
    // portal it serves both run on 127.0.0.1, so the registered jwks_uri values — and only they — skip that check.
    fetch: (url: URL | string, init: RequestInit & { dispatcher?: unknown }) => {
      const registered = options.clients.some((client) => client.jwksUri !== undefined && new URL(client.jwksUri).href === new URL(url).href);
      if (!registered) return globalThis.fetch(url, init);
      const { dispatcher: _ssrfGuard, ...rest } = init;
      return globalThis.fetch(url, rest);
    },
    // SMART asks servers to accept RS384 and ES384 client assertions (private_key_jwt).
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'RS384', 'PS384', 'ES384'] },
    pkce: { required: () => true },
    rotateRefreshToken: () => true,
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // A client may revoke only the tokens it was issued.
        allowedPolicy: (_ctx: KoaContext, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId,
      },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    findAccount: async (ctx, sub) => {
      const account = findAccount(sub);
      if (!account) return undefined;
      const clientId = ctx.oidc?.client?.clientId;
      const relative = options.clients.find((client) => client.clientId === clientId)?.fhirUserForm === 'relative';
      return {
        accountId: account.accountId,
        claims: () => ({ sub: account.accountId, fhirUser: relative ? account.accountId : account.fhirUser, name: account.displayName }),
      };
    },
    // Every authorization gets a fresh, auto-approved grant from the interaction, so an EHR launch for another
    // patient can never reuse the launch context of an earlier grant in the same browser session.
    loadExistingGrant: async (ctx): Promise<Grant | undefined> => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${options.interactionPath}/${interaction.uid}` },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      ClientCredentials: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    renderError: (ctx, out) => {
      const rows = Object.entries(out).map(([key, value]) => html`<p><strong>${key}</strong>: ${String(value)}</p>`);
      ctx.body = page('Sign-in error', html`<h1>Sign-in error</h1>${rows}`);
    },
  });

  // SMART launch context and banner flag travel in the token response (SMART §App Launch: token response).
  provider.use(async (ctx: KoaContext, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route === 'token' && ctx.status === 200) await addLaunchContext(ctx);
    if (ctx.oidc?.route === 'discovery' && isRecord(ctx.body)) ctx.body.scopes_supported = [...ADVERTISED_SCOPES];
  });

  async function addLaunchContext(ctx: KoaContext): Promise<void> {
    if (!isRecord(ctx.body) || typeof ctx.body.access_token !== 'string') return;
    const token = await provider.AccessToken.find(ctx.body.access_token);
    const context = launches.forGrant(token?.grantId);
    if (!context) return;
    if (context.patient) ctx.body.patient = context.patient;
    if (context.encounter) ctx.body.encounter = context.encounter;
    ctx.body.need_patient_banner = context.needPatientBanner;
  }

  async function createGrant(details: Interaction, account: SandboxAccount, launch: LaunchContext | undefined): Promise<string> {
    const clientId = details.params.client_id ?? '';
    const scope = details.params.scope ?? '';
    const grant = new provider.Grant({ accountId: account.accountId, clientId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    launches.bindGrant(grantId, grantContext(scope.split(' '), account, launch));
    return grantId;
  }

  async function finish(req: IncomingMessage, res: ServerResponse, details: Interaction, account: SandboxAccount, launch: LaunchContext | undefined): Promise<void> {
    const grantId = await createGrant(details, account, launch);
    await provider.interactionFinished(req, res, { login: { accountId: account.accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: 'show' | 'login'): Promise<void> {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(res, 400, page('Sign-in expired', html`<h1>This sign-in has expired</h1><p>Go back to the app and start again.</p>`));
      return;
    }
    if (details.uid !== uid) {
      sendHtml(res, 400, page('Sign-in expired', html`<h1>This sign-in has expired</h1><p>Go back to the app and start again.</p>`));
      return;
    }
    const launch = launches.find(details.params.launch);
    const launchUser = launch ? findAccount(launch.accountId) : undefined;
    if (launchUser) {
      // EHR launch: the user is already signed in to the EHR (the simulator chose them).
      await finish(req, res, details, launchUser, launch);
      return;
    }
    if (action === 'show') {
      const signedIn = details.prompt.name === 'consent' && details.session?.accountId
        ? findAccount(details.session.accountId) : undefined;
      if (signedIn) {
        await finish(req, res, details, signedIn, undefined);
        return;
      }
      sendHtml(res, 200, signInPage(uid, details, undefined, ''));
      return;
    }
    const form = new URLSearchParams(await readBody(req, 16 * 1024));
    const username = (form.get('username') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const account = options.accounts().find((candidate) => candidate.username === username);
    if (!account || !sameSecret(password, SANDBOX_PASSWORD)) {
      sendHtml(res, 401, signInPage(uid, details, 'That username and password do not match a sandbox account.', username));
      return;
    }
    await finish(req, res, details, account, undefined);
  }

  function signInPage(uid: string, details: Interaction, error: string | undefined, username: string): string {
    const usernames = options.accounts().map((account) => html`<li><code>${account.username}</code> — ${account.displayName} (${account.resourceType})</li>`);
    return page('Sign in to the Sprout sandbox EHR', html`
      <h1>Sign in to the sandbox EHR</h1>
      <p class="note">Application <code>${details.params.client_id ?? ''}</code> asks to use your health record.</p>
      ${error ? html`<p class="error" role="alert" id="signin-error">${error}</p>` : raw('')}
      <form method="post" action="${options.interactionPath}/${uid}/login" novalidate>
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value="${username}"
          ${error ? raw('aria-describedby="signin-error" aria-invalid="true"') : raw('')} autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
      </form>
      <h2>Demo accounts</h2>
      <p class="note">Every account uses the password <code>${SANDBOX_PASSWORD}</code>.</p>
      <ul>${usernames}</ul>`);
  }

  const providerCallback = provider.callback();
  return {
    provider,
    handleProviderRequest(req, res, pathBelowIssuer) {
      let below = pathBelowIssuer || '/';
      if (req.method === 'GET') below = withConsentPromptForOfflineAccess(below);
      const issuerPath = new URL(options.issuer).pathname.replace(/\/$/, '');
      // oidc-provider derives its mount path from originalUrl minus url, so both must agree.
      Object.assign(req, { originalUrl: `${issuerPath}${below}`, url: below });
      providerCallback(req, res);
    },
    handleInteraction,
    async verifyAccessToken(token) {
      const record = await provider.AccessToken.find(token);
      if (record && !record.isExpired) return { accountId: record.accountId, clientId: record.clientId, scope: record.scope ?? '' };
      const system = await provider.ClientCredentials.find(token);
      if (!system || system.isExpired) return undefined;
      return { accountId: `system:${system.clientId}`, clientId: system.clientId, scope: system.scope ?? '' };
    },
  };
}

/**
 * What the token response carries for a grant. EHR launch (`launch` scope + a simulator context): that patient and
 * encounter. Standalone `launch/patient`: a Patient user gets themself, a RelatedPerson user the patient they act for,
 * and a guardian Person none (the app lets them choose among several children).
 */
export function grantContext(scopes: readonly string[], account: SandboxAccount, launch: LaunchContext | undefined): GrantContext {
  if (launch && scopes.includes('launch')) {
    return {
      patient: launch.patient,
      ...(launch.encounter ? { encounter: launch.encounter } : {}),
      needPatientBanner: launch.needPatientBanner,
    };
  }
  if (scopes.includes('launch/patient')) {
    if (account.resourceType === 'Patient') return { patient: account.resourceId, needPatientBanner: true };
    const actsFor = account.actsForPatient?.match(/^Patient\/([^/]+)$/)?.[1];
    if (actsFor) return { patient: actsFor, needPatientBanner: true };
  }
  return { needPatientBanner: true };
}

/**
 * OpenID Connect only honours `offline_access` together with `prompt=consent` (oidc-provider drops it otherwise);
 * SMART clients ask for refresh tokens with `offline_access` alone. Consent is auto-approved here anyway, so the
 * sandbox adds the prompt to GET authorization requests that ask for offline access. Returns the (new) path+query.
 */
export function withConsentPromptForOfflineAccess(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://sandbox.invalid');
  if (url.pathname !== '/auth') return pathAndQuery;
  const scope = (url.searchParams.get('scope') ?? '').split(' ');
  if (!scope.includes('offline_access')) return pathAndQuery;
  const prompt = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompt.includes('consent') || prompt.includes('none')) return pathAndQuery;
  url.searchParams.set('prompt', [...prompt, 'consent'].join(' '));
  return `${url.pathname}${url.search}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
