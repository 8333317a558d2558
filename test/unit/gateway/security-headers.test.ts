/**
 * Issue 9 finding 5: a route's own Content-Security-Policy wins over the app-wide one, and HSTS is sent when the public
 * URL is https. Proven through createApp: a signed-in guardian downloads a document through the real policy facade
 * (over the sandbox's FHIR server) and the response keeps the facade's `sandbox; default-src 'none'`.
 */
import type { FhirResource } from 'fhir/r4';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirFacadeFactory } from '../../../gateway/src/app.ts';
import { createFhirFacade } from '../../../gateway/src/fhir/facade.ts';
import type { GatewayEnv } from '../../../gateway/src/http/context.ts';
import { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from '../../../gateway/src/http/security-headers.ts';
import { loadSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { createSandboxUpstream, type SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn } from './support/harness.ts';

const FAMILY_DIR = new URL('../../../fixtures/family/', import.meta.url).pathname;
const NOW = Date.parse('2026-03-01T17:00:00Z'); // the harness clock

let sandbox: SandboxUpstream;
beforeAll(async () => {
  sandbox = await createSandboxUpstream((await loadSeedDirectory(FAMILY_DIR, { today: new Date(NOW) })) as FhirResource[]);
}, 60_000);
afterAll(closeSharedStore);

/**
 * The real policy facade, reading from the sandbox's FHIR server instead of the fake EHR (the fake EHR has no search);
 * the session, CSRF and header middleware in front of it are createApp's own.
 */
const facadeOverSandbox: FhirFacadeFactory = ({ store, clock, profile }) => {
  const routes = new Hono<GatewayEnv>();
  routes.use('*', async (c, next) => {
    c.set('upstream', sandbox.upstream());
    await next();
  });
  routes.route('/', createFhirFacade({ store, clock, profile, basePath: '/fhir' }));
  return routes;
};

describe('route-set headers through createApp', () => {
  it("keeps the facade's Binary CSP instead of the app's, and sends HSTS on https", async () => {
    const h = await createHarness({ facade: facadeOverSandbox });
    const browser = h.browser();
    await signIn(h, browser, { fhirUser: `${EHR_BASE}/Person/maria-rivera` });
    const binary = await browser.request('/fhir/Binary/leo-ed-discharge-content');
    expect(binary.status).toBe(200);
    expect(binary.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(binary.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);
    expect(binary.headers.get('cache-control')).toBe('no-store');
    expect(binary.headers.get('x-content-type-options')).toBe('nosniff');

    const json = await browser.request('/fhir/Patient/leo-rivera');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('grants no CORS: a cross-site preflight or request gets no Access-Control headers', async () => {
    const h = await createHarness();
    const cors = { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-csrf-token' };
    for (const [path, method] of [['/api/session', 'OPTIONS'], ['/fhir/Patient/p1', 'OPTIONS'], ['/api/session', 'GET']] as const) {
      const res = await h.browser().request(path, { method, headers: cors });
      const granted = [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
      expect(granted, `${method} ${path}`).toEqual([]);
    }
  });

  it('sends no HSTS on plain-http loopback', async () => {
    const h = await createHarness({ env: { PUBLIC_URL: 'http://127.0.0.1:8080' } });
    const res = await h.browser().request('/login');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
