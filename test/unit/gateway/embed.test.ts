/**
 * Issue 10 finding 3, the gateway's half of embedded launch (the browser half is test/e2e/embedded.test.ts):
 * - EMBED_ORIGINS is validated (exact https origins, loopback http only) and off by default;
 * - framing: off → `frame-ancestors 'none'` and X-Frame-Options DENY; on → exactly the listed origins, no XFO, and a
 *   route's own CSP (Binary documents) gets the same frame-ancestors;
 * - cookies: on → session and pre-auth cookies are `SameSite=None; Secure; Partitioned` (still HttpOnly, __Host-);
 * - CSRF stays intact when the cookie is sent cross-site: the header token and the Origin / Sec-Fetch-Site check.
 */
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { FhirFacadeFactory } from '../../../gateway/src/app.ts';
import { ConfigError, parseConfig } from '../../../gateway/src/config.ts';
import type { GatewayEnv } from '../../../gateway/src/http/context.ts';
import { csrfTokenFor } from '../../../gateway/src/session/csrf.ts';
import { CLIENT_ID, CLIENT_SECRET, EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, passThroughFacade, PORTAL, signIn, type Harness } from './support/harness.ts';

afterAll(closeSharedStore);

const EHR_PORTAL = 'https://mychart.hospital.example';
const base = { PUBLIC_URL: PORTAL, FHIR_BASE_URL: EHR_BASE, CLIENT_ID, CLIENT_SECRET };

describe('EMBED_ORIGINS', () => {
  it('is off by default', () => {
    expect(parseConfig(base).embedOrigins).toEqual([]);
  });

  it('accepts exact https origins and loopback http, normalised and de-duplicated', () => {
    const config = parseConfig({ ...base, EMBED_ORIGINS: `${EHR_PORTAL}, https://ehr.example:8443/,http://127.0.0.1:5173, http://localhost:3000,${EHR_PORTAL}` });
    expect(config.embedOrigins).toEqual([EHR_PORTAL, 'https://ehr.example:8443', 'http://127.0.0.1:5173', 'http://localhost:3000']);
  });

  it.each([
    ['http://ehr.example', 'plain http off loopback'],
    ['https://*.hospital.example', 'a wildcard'],
    ['https://ehr.example/portal', 'a path'],
    ['https://ehr.example?x=1', 'a query'],
    ['https://user:pw@ehr.example', 'credentials'],
    ["'self'", 'a CSP keyword'],
    ['ehr.example', 'no scheme'],
    ['https://ehr.example https://other.example', 'two origins in one entry'],
  ])('refuses %s (%s), naming the variable', (value) => {
    expect(() => parseConfig({ ...base, EMBED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, EMBED_ORIGINS: value })).toThrow(/EMBED_ORIGINS entry/);
  });
});

/** passThroughFacade plus a route with its own CSP, like the facade's Binary documents. */
const withOwnCsp: FhirFacadeFactory = (deps) => {
  const routes = new Hono<GatewayEnv>();
  routes.get('/Binary/doc', (c) => c.body('%PDF-1.4', 200, { 'content-type': 'application/pdf', 'content-security-policy': "sandbox; default-src 'none'" }));
  routes.route('/', passThroughFacade(deps));
  return routes;
};

async function signedIn(h: Harness) {
  const browser = h.browser();
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
  const callback = await signIn(h, browser);
  expect(callback.status).toBe(303);
  const session = await h.store.sessions.get(browser.cookies.get('__Host-sprout') ?? '');
  if (session === undefined) throw new Error('not signed in');
  return { browser, callback, csrf: csrfTokenFor(session) };
}

/** The Set-Cookie line that sets (not clears) the named cookie. */
function setCookie(res: Response, prefix: string): string {
  const line = res.headers.getSetCookie().find((l) => l.startsWith(prefix) && !/max-age=0/i.test(l));
  if (line === undefined) throw new Error(`no ${prefix} cookie set`);
  return line;
}

const attributes = (line: string) => line.split(';').slice(1).map((part) => part.trim().toLowerCase());

describe('framing headers', () => {
  it("off: frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    const h = await createHarness();
    const res = await h.browser().request('/login');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('on: frame-ancestors lists exactly the allowed origins, no X-Frame-Options, on every route', async () => {
    const h = await createHarness({ env: { EMBED_ORIGINS: `${EHR_PORTAL},https://second.example` }, facade: withOwnCsp });
    const { browser } = await signedIn(h);
    for (const path of ['/api/session', '/fhir/Patient/p1', '/', '/fhir/Binary/doc', '/login']) {
      const res = await browser.request(path);
      if (path.startsWith('/fhir/')) expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const ancestors = csp.split(';').map((d) => d.trim()).filter((d) => d.startsWith('frame-ancestors'));
      expect(ancestors, path).toEqual([`frame-ancestors ${EHR_PORTAL} https://second.example`]);
      expect(res.headers.get('x-frame-options'), path).toBeNull();
    }
    expect((await (await signedIn(h)).browser.request('/fhir/Binary/doc')).headers.get('content-security-policy')).toBe(
      `sandbox; default-src 'none'; frame-ancestors ${EHR_PORTAL} https://second.example`,
    );
  });
});

describe('cookies', () => {
  it('off: the session cookie is SameSite=Strict and the pre-auth cookie Lax', async () => {
    const h = await createHarness();
    const login = await h.browser().request('/login');
    expect(attributes(setCookie(login, '__Host-sprout-auth='))).toEqual(expect.arrayContaining(['samesite=lax', 'secure', 'httponly']));
    const { callback } = await signedIn(h);
    const session = callback.headers.getSetCookie().find((line) => line.startsWith('__Host-sprout='));
    expect(attributes(session ?? '')).toEqual(expect.arrayContaining(['samesite=strict', 'secure', 'httponly', 'path=/']));
    expect(attributes(session ?? '')).not.toContain('partitioned');
  });

  it('on: session and pre-auth cookies are SameSite=None; Secure; Partitioned, still HttpOnly and __Host-', async () => {
    const h = await createHarness({ env: { EMBED_ORIGINS: EHR_PORTAL } });
    const login = await h.browser().request('/login');
    const preAuth = setCookie(login, '__Host-sprout-auth=');
    expect(attributes(preAuth)).toEqual(expect.arrayContaining(['samesite=none', 'secure', 'partitioned', 'httponly', 'path=/']));
    const { callback, browser, csrf } = await signedIn(h);
    const session = callback.headers.getSetCookie().find((line) => line.startsWith('__Host-sprout='));
    expect(attributes(session ?? '')).toEqual(expect.arrayContaining(['samesite=none', 'secure', 'partitioned', 'httponly', 'path=/']));
    expect(attributes(session ?? '').some((a) => a.startsWith('domain='))).toBe(false);
    // Sign-out clears the cookie with the same attributes (a partitioned cookie is only cleared inside its partition).
    const out = await browser.post('/logout', csrf);
    const cleared = out.headers.getSetCookie().find((line) => line.startsWith('__Host-sprout='));
    expect(attributes(cleared ?? '')).toEqual(expect.arrayContaining(['samesite=none', 'partitioned', 'max-age=0']));
  });

  it('on, plain-http loopback development: Secure is still set (browsers accept it on loopback)', async () => {
    const h = await createHarness({ env: { PUBLIC_URL: 'http://127.0.0.1:8080', EMBED_ORIGINS: 'http://127.0.0.1:5173' } });
    const login = await h.browser().request('/login');
    const preAuth = setCookie(login, 'sprout-auth=');
    expect(attributes(preAuth)).toEqual(expect.arrayContaining(['samesite=none', 'secure', 'partitioned']));
  });
});

describe('CSRF with the cookie sent cross-site (embedding on)', () => {
  it('refuses a state-changing call without the header token, or from the embedding page, or cross-site without Origin', async () => {
    const h = await createHarness({ env: { EMBED_ORIGINS: EHR_PORTAL } });
    const { browser, csrf } = await signedIn(h);
    const post = (headers: Record<string, string>) => browser.request('/fhir/echo', { method: 'POST', headers });
    // A form posted by the EHR portal (or any site): the cookie goes along, but no header token can.
    expect((await post({ Origin: EHR_PORTAL })).status).toBe(403);
    expect((await post({ Origin: PORTAL })).status).toBe(403);
    // The token alone is not enough when the browser says the request came from another page.
    expect((await post({ Origin: EHR_PORTAL, 'X-CSRF-Token': csrf })).status).toBe(403);
    expect((await post({ 'Sec-Fetch-Site': 'cross-site', 'X-CSRF-Token': csrf })).status).toBe(403);
    expect((await post({ 'Sec-Fetch-Site': 'same-site', 'X-CSRF-Token': csrf })).status).toBe(403);
    // The portal's own page inside the frame: its requests carry its own origin and the token.
    expect((await post({ Origin: PORTAL, 'X-CSRF-Token': csrf })).status).toBe(200);
    expect((await post({ 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': csrf })).status).toBe(200);
    // Reads need no token.
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
  });
});
