/** Builds a gateway over fakes: in-memory PGlite, a settable clock, the fake EHR behind an injected fetch. */
import { Hono } from 'hono';
import { createApp, type FhirFacadeFactory } from '../../../../gateway/src/app.ts';
import { parseConfig, type Config } from '../../../../gateway/src/config.ts';
import type { GatewayEnv } from '../../../../gateway/src/http/context.ts';
import { createLogger } from '../../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../../gateway/src/store/types.ts';
import { TestBrowser } from './browser.ts';
import { CLIENT_ID, CLIENT_SECRET, EHR_BASE, FakeEhr, type ApproveOptions, type FakeEhrOptions } from './fake-ehr.ts';

export const PORTAL = 'https://portal.example.org';

/**
 * One in-memory PGlite per test file (creating one costs seconds); tests stay independent because every session id
 * is random. Call closeSharedStore() in afterAll.
 */
let sharedStore: Promise<Store> | undefined;
function getSharedStore(): Promise<Store> {
  sharedStore ??= openPgliteStore();
  return sharedStore;
}
export async function closeSharedStore(): Promise<void> {
  if (sharedStore !== undefined) await (await sharedStore).close();
  sharedStore = undefined;
}

export interface Harness {
  readonly app: Hono<GatewayEnv>;
  readonly ehr: FakeEhr;
  readonly store: Store;
  readonly config: Config;
  readonly clock: { now(): number; advance(ms: number): void };
  readonly logLines: string[];
  browser(): TestBrowser;
  close(): Promise<void>;
}

/** A stand-in /fhir route for wiring tests: reads through the session's upstream (the real facade has its own tests). */
export const passThroughFacade: FhirFacadeFactory = () => {
  const routes = new Hono<GatewayEnv>();
  routes.get('/:type/:id', async (c) => {
    const result = await c.get('upstream').getJson(`${c.req.param('type')}/${c.req.param('id')}`);
    return result.ok ? c.json(result.resource) : c.json({ resourceType: 'OperationOutcome', issue: [] }, 404);
  });
  routes.post('/echo', (c) => c.json({ ok: true }));
  return routes;
};

export async function createHarness(
  options: {
    env?: Record<string, string>;
    ehr?: Partial<FakeEhrOptions>;
    facade?: FhirFacadeFactory;
    /** Wraps the fake EHR's fetch (e.g. to change what one endpoint answers mid-test). */
    wrapFetch?: (ehrFetch: FakeEhr['fetch']) => FakeEhr['fetch'];
  } = {},
): Promise<Harness> {
  let now = Date.parse('2026-03-01T17:00:00Z');
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const ehr = await FakeEhr.create({ now: clock.now, ...options.ehr });
  const config = parseConfig({
    PUBLIC_URL: PORTAL,
    FHIR_BASE_URL: EHR_BASE,
    CLIENT_ID,
    CLIENT_SECRET,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const store = await getSharedStore();
  const logLines: string[] = [];
  const logger = createLogger('debug', (line) => logLines.push(line));
  const app = createApp({
    config,
    store,
    clock,
    fetch: options.wrapFetch?.(ehr.fetch) ?? ehr.fetch,
    profile: BUILTIN_PROFILES['ca-strict'],
    facade: options.facade ?? passThroughFacade,
    logger,
    staticRoot: '/nonexistent-sprout-static-root',
  });
  return {
    app,
    ehr,
    store,
    config,
    clock,
    logLines,
    browser: () => new TestBrowser(app, config.publicUrl),
    close: async () => undefined, // the shared store is closed by closeSharedStore()
  };
}

/** Standalone sign-in through the fake EHR. Returns the final response of the callback. */
export async function signIn(h: Harness, browser: TestBrowser, approve: ApproveOptions = {}): Promise<Response> {
  const login = await browser.request('/login');
  if (login.status !== 302) throw new Error(`/login answered ${login.status}`);
  const callback = h.ehr.approve(login.headers.get('location') ?? '', approve);
  return browser.request(callback);
}
