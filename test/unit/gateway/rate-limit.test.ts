/**
 * Issue 9 finding 4: the sign-in routes are rate-limited per client address (a bilingual 429 page with Retry-After),
 * and SMART discovery and the JWKS are cached (a flood of /login costs one discovery fetch; a rotated signing key is
 * picked up by one bounded re-fetch).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../gateway/src/config.ts';
import { clientAddress, createRateLimiter } from '../../../gateway/src/http/rate-limit.ts';
import { JWKS_MIN_REFETCH_MS } from '../../../gateway/src/smart/client.ts';
import { EHR_BASE, EHR_ORIGIN } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn } from './support/harness.ts';

afterAll(closeSharedStore);

const DISCOVERY = `${EHR_BASE}/.well-known/smart-configuration`;

describe('sign-in rate limit per client address', () => {
  it('answers 429 with Retry-After and a page in English and Spanish once the limit is used up', async () => {
    const h = await createHarness({ env: { SIGNIN_RATE_LIMIT: '5', SIGNIN_RATE_WINDOW_SECONDS: '120', TRUST_PROXY: 'true' } });
    const from = (address: string) => ({ headers: { 'X-Forwarded-For': `203.0.113.9, ${address}` } });
    const browser = h.browser();
    for (let i = 0; i < 5; i += 1) expect((await browser.request('/login', from('198.51.100.7'))).status).toBe(302);
    const limited = await browser.request('/login', from('198.51.100.7'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('120');
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await limited.text();
    expect(html).toContain('<section lang="en">');
    expect(html).toContain('Too many sign-in requests came from your network in a short time. Please wait 2 minutes and try again.');
    expect(html).toContain('<section lang="es">');
    expect(html).toContain('Espere 2 minutos y vuelva a intentarlo.');
    // The same address is limited on every sign-in route; another address is not.
    expect((await browser.request(`/launch?iss=${encodeURIComponent(EHR_BASE)}&launch=x`, from('198.51.100.7'))).status).toBe(429);
    expect((await browser.request('/callback?state=x&code=y', from('198.51.100.7'))).status).toBe(429);
    expect((await h.browser().request('/login', from('198.51.100.8'))).status).toBe(302);
    // The limited requests did no work: five authorizations began, so five discovery-backed redirects, no more rows.
    h.clock.advance(60_000);
    expect((await browser.request('/login', from('198.51.100.7'))).headers.get('retry-after')).toBe('60');
    h.clock.advance(60_000);
    expect((await browser.request('/login', from('198.51.100.7'))).status).toBe(302);
  });

  it('ignores a client-supplied X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const h = await createHarness({ env: { SIGNIN_RATE_LIMIT: '2' } });
    const browser = h.browser();
    expect((await browser.request('/login', { headers: { 'X-Forwarded-For': '192.0.2.1' } })).status).toBe(302);
    expect((await browser.request('/login', { headers: { 'X-Forwarded-For': '192.0.2.2' } })).status).toBe(302);
    expect((await browser.request('/login', { headers: { 'X-Forwarded-For': '192.0.2.3' } })).status).toBe(429);
  });

  it('reads the socket address behind the real Node server (not one shared "unknown" bucket)', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(`${clientAddress(c, false)} ${clientAddress(c, true)}`));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Forwarded-For': '192.0.2.7, 198.51.100.1' } });
      expect(await res.text()).toBe('127.0.0.1 198.51.100.1');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('limiter: counts per key, resets with the window, and remembers a bounded number of addresses', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000, maxKeys: 3 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 10).allowed).toBe(true);
    expect(limiter.take('a', 20)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 20).allowed).toBe(true);
    expect(limiter.take('a', 1000).allowed).toBe(true);
    for (const key of ['c', 'd', 'e']) limiter.take(key, 1000);
    // 'a' was the oldest window and has been forgotten: it starts afresh rather than growing memory without bound.
    expect(limiter.take('a', 1001).allowed).toBe(true);
    expect(limiter.take('a', 1002).allowed).toBe(true);
    expect(limiter.take('a', 1003).allowed).toBe(false);
  });
});

describe('rate limit settings', () => {
  const minimal = { FHIR_BASE_URL: 'https://ehr.example.org/fhir/R4', CLIENT_ID: 'sprout' };
  it('defaults to 30 sign-in requests per 60 s per address, trusting no proxy header', () => {
    const config = parseConfig(minimal);
    expect([config.signInRateLimit, config.signInRateWindowSeconds, config.trustProxy]).toEqual([30, 60, false]);
  });

  it.each([
    ['SIGNIN_RATE_LIMIT', '0'],
    ['SIGNIN_RATE_LIMIT', 'lots'],
    ['SIGNIN_RATE_WINDOW_SECONDS', '1.5'],
    ['TRUST_PROXY', 'maybe'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    expect(() => parseConfig({ ...minimal, [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ ...minimal, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('SMART metadata caches', () => {
  it('300 GET /login make at most one discovery fetch', async () => {
    const h = await createHarness({ env: { SIGNIN_RATE_LIMIT: '1000' } });
    for (let i = 0; i < 300; i += 1) {
      const res = await h.browser().request('/login');
      expect(res.status).toBe(302);
    }
    expect(h.ehr.requestsTo(DISCOVERY).length).toBeLessThanOrEqual(1);
  });

  it('fetches the JWKS once for many sign-ins, and re-fetches (bounded) when the id_token names an unknown kid', async () => {
    const rotated = await generateKeyPair('RS256');
    const rotatedJwk = { ...(await exportJWK(rotated.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' };
    let serveRotated = false;
    // Once `serveRotated` is set the EHR has rotated its signing key: the JWKS lists only k2.
    const h = await createHarness({
      env: { SIGNIN_RATE_LIMIT: '1000' },
      wrapFetch: (ehrFetch) => async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (!serveRotated || url.href !== `${EHR_ORIGIN}/oidc/jwks`) return ehrFetch(input, init);
        await ehrFetch(input, init); // recorded like every other request
        return new Response(JSON.stringify({ keys: [rotatedJwk] }), { headers: { 'Content-Type': 'application/json' } });
      },
    });
    const jwksFetches = () => h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/jwks`).length;
    for (let i = 0; i < 3; i += 1) expect((await signIn(h, h.browser())).status).toBe(303);
    expect(jwksFetches()).toBe(1);

    serveRotated = true;
    const signWithRotated = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k2' }).sign(rotated.privateKey);
    // Right after a fetch, an unknown kid does not trigger another one (a forged kid must not buy a fetch per request).
    expect((await signIn(h, h.browser(), { idToken: signWithRotated })).status).toBe(400);
    expect(jwksFetches()).toBe(1);
    h.clock.advance(JWKS_MIN_REFETCH_MS);
    expect((await signIn(h, h.browser(), { idToken: signWithRotated })).status).toBe(303);
    expect(jwksFetches()).toBe(2);
    expect((await signIn(h, h.browser(), { idToken: signWithRotated })).status).toBe(303);
    expect(jwksFetches()).toBe(2);
  });
});
