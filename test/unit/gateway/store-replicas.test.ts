/**
 * Two gateway replicas on one PostgreSQL (issue 9): one browser session (one cookie jar) alternating between them —
 * sign-in started on one and finished on the other, CSRF-checked writes on either — and a refresh racing on both still
 * spends the refresh token exactly once. Needs DATABASE_URL (always set in CI by .ci/run); skipped only without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../../gateway/src/app.ts';
import { parseConfig } from '../../../gateway/src/config.ts';
import type { GatewayEnv } from '../../../gateway/src/http/context.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { csrfTokenFor } from '../../../gateway/src/session/csrf.ts';
import { openPostgresStore } from '../../../gateway/src/store/postgres-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import { TestBrowser } from './support/browser.ts';
import { CLIENT_ID, CLIENT_SECRET, EHR_BASE, FakeEhr } from './support/fake-ehr.ts';
import { passThroughFacade, PORTAL } from './support/harness.ts';
import { createScratchDatabase, databaseUrl, type ScratchDatabase } from './support/postgres.ts';
import { TEST_KEYS } from './support/store-backends.ts';

const SESSION = '__Host-sprout';

/** Sends each request to the replica named by `pick` (default: alternate), counting where they went. */
class ReplicaRouter {
  readonly served = { a: 0, b: 0 };
  #next: 'a' | 'b' = 'a';
  readonly #replicas: { readonly a: Hono<GatewayEnv>; readonly b: Hono<GatewayEnv> };
  constructor(replicas: { readonly a: Hono<GatewayEnv>; readonly b: Hono<GatewayEnv> }) {
    this.#replicas = replicas;
  }
  request(input: string, init?: RequestInit): Response | Promise<Response> {
    const target = this.#next;
    this.#next = target === 'a' ? 'b' : 'a';
    this.served[target] += 1;
    return this.#replicas[target].request(input, init);
  }
}

describe.skipIf(databaseUrl === undefined)('two gateway replicas on one PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let stores: Store[];
  let ehr: FakeEhr;
  let router: ReplicaRouter;
  let now = Date.parse('2026-03-01T17:00:00Z');
  const clock = { now: () => now };

  beforeAll(async () => {
    scratch = await createScratchDatabase(databaseUrl!);
    ehr = await FakeEhr.create({ now: clock.now });
    ehr.accessTokenLifetimeSeconds = 300;
    ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
    const config = parseConfig({ PUBLIC_URL: PORTAL, FHIR_BASE_URL: EHR_BASE, CLIENT_ID, CLIENT_SECRET, LOG_LEVEL: 'silent' });
    // Two processes' worth of state: each replica its own pool, lock mutexes and app; only the database is shared.
    stores = [await openPostgresStore({ connectionString: scratch.url, sessionKeys: TEST_KEYS }), await openPostgresStore({ connectionString: scratch.url, sessionKeys: TEST_KEYS })];
    const [a, b] = stores.map((store) =>
      createApp({
        config,
        store,
        clock,
        fetch: ehr.fetch,
        profile: BUILTIN_PROFILES['ca-strict'],
        facade: passThroughFacade,
        logger: createLogger('silent'),
        staticRoot: '/nonexistent-sprout-static-root',
      }),
    );
    router = new ReplicaRouter({ a: a!, b: b! });
  });

  afterAll(async () => {
    for (const store of stores ?? []) await store.close();
    await scratch?.drop();
  });

  it('keeps one browser session across both replicas and spends a raced refresh token once', async () => {
    const browser = new TestBrowser(router, PORTAL);
    const login = await browser.request('/login'); // replica a
    expect(login.status).toBe(302);
    const callback = await browser.request(ehr.approve(login.headers.get('location') ?? '')); // replica b
    expect([302, 303]).toContain(callback.status);
    const id = browser.cookies.get(SESSION);
    expect(id).toBeDefined();

    // Reads and CSRF-checked writes succeed on both replicas.
    const session = await stores[0]!.sessions.get(id!);
    const token = csrfTokenFor(session!);
    for (let i = 0; i < 4; i += 1) expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await browser.post('/fhir/echo', token)).status).toBe(200);
    expect(router.served.a).toBeGreaterThanOrEqual(4);
    expect(router.served.b).toBeGreaterThanOrEqual(4);

    // The access token expires; eight concurrent requests, half on each replica, race to refresh it.
    const before = await stores[1]!.sessions.get(id!);
    now += 5 * 60 * 1000;
    const results = await Promise.all(Array.from({ length: 8 }, () => browser.request('/fhir/Patient/p1')));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(ehr.refreshCalls).toBe(1);
    const after = await stores[0]!.sessions.get(id!);
    expect(after?.tokens?.refreshToken).not.toBe(before?.tokens?.refreshToken);
    expect(ehr.refreshTokens.get(before?.tokens?.refreshToken ?? '')).toBe(true);
    expect(ehr.refreshTokens.get(after?.tokens?.refreshToken ?? '')).toBe(false);

    // Next expiry: the rotated token is used by whichever replica gets there, never the spent one.
    now += 5 * 60 * 1000;
    const next = await Promise.all(Array.from({ length: 4 }, () => browser.request('/fhir/Patient/p1')));
    expect(next.map((r) => r.status)).toEqual(Array(4).fill(200));
    expect(ehr.refreshCalls).toBe(2);
  });
});
