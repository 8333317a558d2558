/**
 * The whole gateway (createApp: session middleware, CSRF, facade, /api/messages) over the real sandbox EHR and an
 * in-memory PGlite store, with sign-in driven through the sandbox's real authorization server. Test support only.
 */
import type { Hono } from 'hono';
import { createApp } from '../../../../gateway/src/app.ts';
import { parseConfig } from '../../../../gateway/src/config.ts';
import type { GatewayEnv } from '../../../../gateway/src/http/context.ts';
import { createLogger } from '../../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES, type BuiltinProfileId } from '../../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../../gateway/src/store/types.ts';
import { startSandbox, type RunningSandbox } from '../../../../sandbox/src/index.ts';
import { TestBrowser } from '../../gateway/support/browser.ts';
import { CookieJar, follow } from '../../sandbox/oauth-driver.ts';

export const PORTAL = 'http://127.0.0.1:9';
const CLIENT_ID = 'sprout-portal';
const CLIENT_SECRET = 'messages-test-secret';

export interface TestPortal {
  readonly sandbox: RunningSandbox;
  readonly store: Store;
  app(profile: BuiltinProfileId): Hono<GatewayEnv>;
  /** While true, every write (POST/PUT) the gateway sends to the EHR fails with 503 (reads still work). */
  failWrites: boolean;
  close(): Promise<void>;
}

export async function startTestPortal(): Promise<TestPortal> {
  const sandbox = await startSandbox({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${PORTAL}/callback`], launchUrl: `${PORTAL}/launch` }] });
  const store = await openPgliteStore();
  const config = parseConfig({ PUBLIC_URL: PORTAL, FHIR_BASE_URL: sandbox.fhirBaseUrl, CLIENT_ID, CLIENT_SECRET, LOG_LEVEL: 'silent', SIGNIN_RATE_LIMIT: '10000' });
  const apps = new Map<BuiltinProfileId, Hono<GatewayEnv>>();
  const portal: TestPortal = {
    sandbox,
    store,
    failWrites: false,
    app(profile) {
      let app = apps.get(profile);
      if (app === undefined) {
        const fetch: typeof globalThis.fetch = async (input, init) => {
          const method = (init?.method ?? 'GET').toUpperCase();
          const url = String(input instanceof Request ? input.url : input);
          if (portal.failWrites && url.startsWith(sandbox.fhirBaseUrl) && (method === 'POST' || method === 'PUT')) return new Response('unavailable', { status: 503 });
          return globalThis.fetch(input, init);
        };
        app = createApp({ config, store, clock: { now: () => Date.now() }, fetch, profile: BUILTIN_PROFILES[profile], logger: createLogger('silent'), staticRoot: '/nonexistent' });
        apps.set(profile, app);
      }
      return app;
    },
    async close() {
      await store.close();
      await sandbox.close();
    },
  };
  return portal;
}

export interface SignedIn {
  readonly browser: TestBrowser;
  readonly csrf: string;
  get(path: string, language?: string): Promise<Response>;
  send(form: FormData, key: string, language?: string): Promise<Response>;
  json(method: string, path: string, body: unknown): Promise<Response>;
}

export async function signIn(portal: TestPortal, profile: BuiltinProfileId, username: string): Promise<SignedIn> {
  const app = portal.app(profile);
  const browser = new TestBrowser(app, PORTAL);
  const login = await browser.request('/login');
  const jar = new CookieJar();
  let step = await follow(jar, login.headers.get('location') ?? '', `${PORTAL}/callback`);
  if (step.response) {
    const page = await step.response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
    step = await follow(jar, new URL(action, step.url).href, `${PORTAL}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: portal.sandbox.password }).toString(),
    });
  }
  const callback = await browser.request(step.url);
  if (callback.status !== 303) throw new Error(`callback answered ${callback.status}`);
  const session = (await (await browser.request('/api/session')).json()) as { csrfToken: string };
  const csrf = session.csrfToken;
  return {
    browser,
    csrf,
    get: (path, language = 'en') => browser.request(path, { headers: { 'accept-language': language } }),
    send: (form, key, language = 'en') =>
      browser.request('/api/messages', { method: 'POST', body: form, headers: { 'x-csrf-token': csrf, 'idempotency-key': key, 'accept-language': language, origin: PORTAL } }),
    json: (method, path, body) =>
      browser.request(path, { method, body: JSON.stringify(body), headers: { 'x-csrf-token': csrf, 'content-type': 'application/json', origin: PORTAL } }),
  };
}
