/**
 * Test support for the interop tests: real gateways on 127.0.0.1 talking to a real sandbox over HTTP (no injected
 * fetch, no fakes), each with a settable clock and a record of what it sent to the token endpoint. A gateway listens
 * before its configuration exists (the sandbox must know the portal's URL to register it, and the portal must know the
 * sandbox's URL): `listen()` first, `attach(config)` once the sandbox is up.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../../gateway/src/app.ts';
import { parseConfig, type Config } from '../../../gateway/src/config.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import { CookieJar, follow } from '../sandbox/oauth-driver.ts';

export interface RecordedCall {
  readonly url: string;
  readonly headers: Headers;
  readonly form: URLSearchParams;
}

export interface LivePortal {
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly clock: { now(): number; advance(ms: number): void };
  config: Config | undefined;
  /** Builds the app behind the listening port. */
  attach(env: Record<string, string>, store: Store): void;
  close(): Promise<void>;
}

export async function listen(): Promise<LivePortal> {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: (request) => (handler ? handler(request) : new Response('starting', { status: 503 })), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const calls: RecordedCall[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST') {
      const body = await request.clone().text();
      calls.push({ url: request.url, headers: request.headers, form: new URLSearchParams(body) });
    }
    return fetch(request);
  };
  const portal: LivePortal = {
    url,
    calls,
    clock,
    config: undefined,
    attach(env, store) {
      const config = parseConfig({ PUBLIC_URL: url, LOG_LEVEL: 'silent', SESSION_IDLE_MINUTES: '600', ...env });
      portal.config = config;
      const app = createApp({
        config,
        store,
        clock,
        fetch: recordingFetch,
        profile: BUILTIN_PROFILES['ca-strict'],
        logger: createLogger('silent'),
        staticRoot: '/nonexistent-sprout-static-root',
      });
      handler = (request) => app.fetch(request);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
  return portal;
}

export function openMemoryStore(): Promise<Store> {
  return openPgliteStore();
}

/**
 * A browser's standalone sign-in: portal /login → the sandbox's sign-in form → the portal's /callback. Returns the
 * callback's response (303 on success) and the cookie jar (the portal's session cookie is `sprout` on http).
 */
export async function signInThroughPortal(portalUrl: string, username: string, password: string, jar = new CookieJar()): Promise<{ callback: Response; jar: CookieJar }> {
  const callbackPrefix = `${portalUrl}/callback`;
  const toForm = await follow(jar, `${portalUrl}/login`, callbackPrefix);
  if (toForm.response === undefined) throw new Error('the sandbox asked for no sign-in');
  const page = await toForm.response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (action === undefined) throw new Error(`no sign-in form at ${toForm.url}: ${toForm.response.status} ${page.slice(0, 300)}`);
  const back = await follow(jar, new URL(action, toForm.url).href, callbackPrefix, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (back.response !== undefined) throw new Error(`sign-in did not come back to the portal: ${back.response.status}`);
  const callback = await fetch(back.url, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(callback);
  return { callback, jar };
}

export function sessionCookie(jar: CookieJar): string | undefined {
  return /(?:^|; )sprout=([^;]+)/.exec(jar.header())?.[1];
}
