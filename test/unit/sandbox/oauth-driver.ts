/**
 * Drives the sandbox's authorization-code + PKCE flow with plain fetch, the way a browser would: a cookie jar,
 * manual redirects, the sign-in form post. Test support only.
 */
import { createHash, randomBytes } from 'node:crypto';

export class CookieJar {
  #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface AuthorizeParams {
  readonly issuer: string;
  readonly fhirBaseUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly launch?: string;
  readonly aud?: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(params: AuthorizeParams, pkce: { challenge: string }, state: string): string {
  const url = new URL(`${params.issuer}/auth`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', params.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', pkce.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('aud', params.aud ?? params.fhirBaseUrl);
  if (params.launch) url.searchParams.set('launch', params.launch);
  return url.href;
}

/** Follows redirects (GET) until one points at `stopPrefix` or a non-redirect response arrives. */
export async function follow(jar: CookieJar, start: string, stopPrefix: string, init?: RequestInit): Promise<{ url: string; response?: Response }> {
  let url = start;
  let request: RequestInit | undefined = init;
  for (let hop = 0; hop < 12; hop += 1) {
    if (url.startsWith(stopPrefix)) return { url };
    const response = await fetch(url, { ...request, redirect: 'manual', headers: { ...(request?.headers ?? {}), cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url, response };
    await response.body?.cancel();
    url = new URL(location, url).href;
    request = undefined;
  }
  throw new Error('too many redirects');
}

export interface CodeResult {
  readonly code: string;
  readonly state: string | null;
  readonly verifier: string;
}

/** Runs authorize → (sign-in form) → callback and returns the code. `username` undefined = expect no sign-in page. */
export async function obtainCode(params: AuthorizeParams, username: string | undefined, password: string, jar = new CookieJar()): Promise<CodeResult> {
  const pkce = pkcePair();
  const state = randomBytes(16).toString('base64url');
  let step = await follow(jar, authorizeUrl(params, pkce, state), params.redirectUri);
  if (step.response) {
    if (username === undefined) throw new Error(`unexpected page at ${step.url}: ${step.response.status} ${await step.response.text()}`);
    const page = await step.response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no sign-in form at ${step.url}: ${page.slice(0, 300)}`);
    step = await follow(jar, new URL(action, step.url).href, params.redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (step.response) throw new Error(`sign-in did not complete: ${step.response.status} ${(await step.response.text()).slice(0, 300)}`);
  }
  const callback = new URL(step.url);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in callback ${step.url}`);
  return { code, state: callback.searchParams.get('state'), verifier: pkce.verifier };
}

export async function tokenRequest(issuer: string, clientId: string, clientSecret: string, body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams(body).toString(),
  });
  return { status: response.status, json: await response.json() as Record<string, unknown> };
}
