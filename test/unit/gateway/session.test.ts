/** Sessions: cookie flags, CSRF, idle and absolute timeouts, logout, replacement on a new launch, no token leaks, refresh. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../gateway/src/app.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { closeSharedStore, createHarness, passThroughFacade, signIn, type Harness } from './support/harness.ts';
import { EHR_BASE, EHR_ORIGIN } from './support/fake-ehr.ts';
import type { TestBrowser } from './support/browser.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
});
afterAll(closeSharedStore);

const SESSION = '__Host-sprout';

/** The CSRF token as the app gets it (from the session; /api/session needs the policy core, covered elsewhere). */
async function csrfFor(browser: TestBrowser): Promise<string> {
  const { csrfTokenFor } = await import('../../../gateway/src/session/csrf.ts');
  const session = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
  if (session === undefined) throw new Error('no session');
  return csrfTokenFor(session);
}

describe('cookies', () => {
  it('sets __Host- HttpOnly SameSite=Strict Secure Path=/ on https; the pre-auth cookie is Lax and short-lived', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const preAuth = login.headers.getSetCookie().find((c) => c.startsWith('__Host-sprout-auth='));
    expect(preAuth).toMatch(/HttpOnly/i);
    expect(preAuth).toMatch(/Secure/i);
    expect(preAuth).toMatch(/SameSite=Lax/i);
    expect(preAuth).toMatch(/Path=\//);
    expect(preAuth).toMatch(/Max-Age=600/);
    expect(preAuth).not.toMatch(/Domain=/i);
    const callback = await browser.request(h.ehr.approve(login.headers.get('location') ?? ''));
    const session = callback.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`) && !c.startsWith(`${SESSION}=;`));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Domain=/i);
  });

  it('uses `sprout` without Secure on plain-http loopback', async () => {
    const local = await createHarness({ env: { PUBLIC_URL: 'http://127.0.0.1:8080' } });
    const browser = local.browser();
    const login = await browser.request('/login');
    const callback = await browser.request(local.ehr.approve(login.headers.get('location') ?? ''));
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('sprout='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i);
  });
});

describe('session middleware', () => {
  it('answers 401 with the signed-out view without a session', async () => {
    const res = await h.browser().request('/api/session');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ signedIn: false, loginUrl: '/login' });
    expect((await h.browser().request('/fhir/Patient/p1')).status).toBe(401);
  });

  it('reads through the session upstream with the session token', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    const res = await browser.request('/fhir/Patient/p1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('ignores a forged or unknown session cookie', async () => {
    const browser = h.browser();
    browser.cookies.set(SESSION, 'A'.repeat(43));
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
  });

  it('refuses state-changing calls without the CSRF token or from another origin', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    const token = await csrfFor(browser);
    expect((await browser.post('/fhir/echo', undefined)).status).toBe(403);
    expect((await browser.post('/fhir/echo', 'wrong-token')).status).toBe(403);
    expect((await browser.request('/fhir/echo', { method: 'POST', headers: { Origin: 'https://evil.example', 'X-CSRF-Token': token } })).status).toBe(403);
    expect((await browser.request('/fhir/echo', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site', 'X-CSRF-Token': token } })).status).toBe(403);
    expect((await browser.post('/fhir/echo', token)).status).toBe(200);
    expect((await browser.post('/api/session/keepalive', undefined)).status).toBe(403);
    expect((await browser.post('/logout', undefined)).status).toBe(403);
  });

  it('ends the session after 20 idle minutes, server-side', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    const id = browser.cookies.get(SESSION) ?? '';
    h.clock.advance(19 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    h.clock.advance(19 * 60 * 1000); // activity above reset the idle clock
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    h.clock.advance(20 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
    expect(await h.store.sessions.get(id)).toBeUndefined();
  });

  it('keepalive extends the idle deadline', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    const token = await csrfFor(browser);
    h.clock.advance(15 * 60 * 1000);
    const res = await browser.post('/api/session/keepalive', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ idleExpiresAt: h.clock.now() + 20 * 60 * 1000, idleTimeoutSeconds: 1200 });
    h.clock.advance(15 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
  });

  it('ends the session at the absolute lifetime despite activity', async () => {
    const short = await createHarness({ env: { SESSION_MAX_HOURS: '1' } });
    short.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
    short.ehr.accessTokenLifetimeSeconds = 7200;
    const browser = short.browser();
    await signIn(short, browser);
    for (let i = 0; i < 5; i++) {
      short.clock.advance(10 * 60 * 1000);
      expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    }
    short.clock.advance(10 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
  });
});

describe('logout and replacement', () => {
  it('deletes the session, revokes the tokens, clears the cookie', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    const id = browser.cookies.get(SESSION) ?? '';
    const session = await h.store.sessions.get(id);
    const res = await browser.post('/logout', await csrfFor(browser));
    expect(res.status).toBe(200);
    expect(await h.store.sessions.get(id)).toBeUndefined();
    expect(browser.cookies.has(SESSION)).toBe(false);
    expect(h.ehr.revoked).toEqual(expect.arrayContaining([session?.tokens?.accessToken, session?.tokens?.refreshToken]));
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
  });

  it('a new launch replaces the session instead of merging', async () => {
    const browser = h.browser();
    await signIn(h, browser, { fhirUser: `${EHR_BASE}/RelatedPerson/rp-1`, patient: 'child-1' });
    const first = browser.cookies.get(SESSION) ?? '';
    const launch = await browser.request(`/launch?iss=${encodeURIComponent(EHR_BASE)}&launch=L2`);
    expect(launch.status).toBe(302);
    expect(await h.store.sessions.get(first)).toBeUndefined();
    await browser.request(h.ehr.approve(launch.headers.get('location') ?? '', { fhirUser: `${EHR_BASE}/Patient/teen-1` }));
    const second = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
    expect(second?.id).not.toBe(first);
    expect(second?.principal?.reference).toBe('Patient/teen-1');
    expect(second?.launchContext?.['patient']).toBeUndefined(); // nothing carried over from the first launch
  });
});

describe('tokens never leave the server', () => {
  it('no token, code or client secret in any response body, header or log line', async () => {
    h.ehr.accessTokenLifetimeSeconds = 300;
    const browser = h.browser();
    const responses: Response[] = [];
    const login = await browser.request('/login');
    responses.push(login);
    const callbackUrl = h.ehr.approve(login.headers.get('location') ?? '');
    responses.push(await browser.request(callbackUrl));
    responses.push(await browser.request('/fhir/Patient/p1'));
    h.clock.advance(5 * 60 * 1000); // forces a refresh on the next call
    responses.push(await browser.request('/fhir/Patient/p1'));
    responses.push(await browser.request('/api/session/keepalive', { method: 'POST' }));
    responses.push(await browser.post('/logout', await csrfFor(browser).catch(() => 'x')));
    const secrets = h.ehr.secretsIssued().filter((s) => !callbackUrl.includes(s)); // the code legitimately passes through the callback URL
    expect(secrets.length).toBeGreaterThan(3);
    for (const res of responses) {
      const text = `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await res.text()}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    for (const line of h.logLines) for (const secret of h.ehr.secretsIssued()) expect(line).not.toContain(secret);
  });
});

describe('refresh', () => {
  it('concurrent requests with an expired access token spend the refresh token exactly once and rotate it', async () => {
    h.ehr.accessTokenLifetimeSeconds = 300;
    const browser = h.browser();
    await signIn(h, browser);
    const before = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
    h.clock.advance(5 * 60 * 1000);
    const results = await Promise.all(Array.from({ length: 8 }, () => browser.request('/fhir/Patient/p1')));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(h.ehr.refreshCalls).toBe(1);
    const after = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
    expect(after?.tokens?.refreshToken).not.toBe(before?.tokens?.refreshToken);
    expect(h.ehr.refreshTokens.get(before?.tokens?.refreshToken ?? '')).toBe(true);
    // Later expiry: the rotated token is used, never the spent one.
    h.clock.advance(5 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(2);
  });

  it('a refused refresh ends the session (401) instead of retrying the spent token', async () => {
    h.ehr.accessTokenLifetimeSeconds = 300;
    const browser = h.browser();
    await signIn(h, browser);
    const id = browser.cookies.get(SESSION) ?? '';
    const session = await h.store.sessions.get(id);
    h.ehr.refreshTokens.set(session?.tokens?.refreshToken ?? '', true); // e.g. revoked at the EHR
    h.clock.advance(5 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
    expect(await h.store.sessions.get(id)).toBeUndefined();
    expect(h.ehr.refreshCalls).toBe(1);
  });
});

describe('headers and static app', () => {
  it('sets the security headers', async () => {
    const res = await h.browser().request('/api/session');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the built app with SPA fallback, never for API routes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sprout-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Sprout</title>');
    writeFileSync(join(root, 'assets', 'app-abc.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'sprout-secret.txt'), 'secret');
    const app = createApp({
      config: h.config,
      store: h.store,
      clock: h.clock,
      fetch: h.ehr.fetch,
      profile: BUILTIN_PROFILES['ca-strict'],
      facade: passThroughFacade,
      logger: createLogger('silent'),
      staticRoot: root,
    });
    const page = await app.request('/family/child-1');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Sprout</title>');
    const asset = await app.request('/assets/app-abc.js');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/api/nothing')).status).toBe(401);
    expect(await (await app.request('/%2e%2e/sprout-secret.txt')).text()).not.toContain('secret');
    expect(await (await app.request('/..%2fsprout-secret.txt')).text()).not.toContain('secret');
  });
});

describe('discovery origin in EHR launch', () => {
  it('never sends anything to an origin other than the EHR during a full sign-in and refresh', async () => {
    h.ehr.accessTokenLifetimeSeconds = 300;
    const browser = h.browser();
    await signIn(h, browser);
    h.clock.advance(5 * 60 * 1000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(1);
    expect(h.ehr.requests.every((r) => r.url.startsWith(`${EHR_ORIGIN}/`))).toBe(true);
  });
});
