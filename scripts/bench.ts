/**
 * `npm run bench` — the facade's two speed targets (a benchmark, not a test):
 *
 * 1. Filtered search throughput through the facade, against the sandbox's FHIR server, compared with a plain
 *    pass-through of the same requests in the same run (upstream GET + re-serialise). Target ≥ 0.9×.
 * 2. The cost of filtering a 1,000-entry bundle compared with JSON.parse + JSON.stringify of it. Target ≤ 1.5×.
 *
 * Both run in-process (the sandbox's FhirService behind a fetch function), so network noise does not hide the
 * facade's own cost. Prints both ratios.
 */
import type { Bundle, FhirResource, Observation } from 'fhir/r4';
import { Hono } from 'hono';
import { FhirService } from '../sandbox/src/fhir/service.ts';
import { createFhirFacade } from '../gateway/src/fhir/facade.ts';
import { createFetchUpstream } from '../gateway/src/fhir/fetch-upstream.ts';
import type { FhirUpstream } from '../gateway/src/fhir/upstream.ts';
import type { GatewayEnv } from '../gateway/src/http/context.ts';
import { BUILTIN_PROFILES } from '../gateway/src/policy/index.ts';
import type { Principal } from '../gateway/src/policy/types.ts';
import type { AuditRecord, Store } from '../gateway/src/store/types.ts';

const BASE = 'http://ehr.bench/fhir';
const NOW = Date.parse('2026-03-02T18:00:00Z');
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const SEARCH = 'Observation?patient=Patient/infant&_count=50';
const ROUNDS = 200;

function observation(i: number): Observation {
  return {
    resourceType: 'Observation',
    id: `obs-${i}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: 'Patient/infant' },
    effectiveDateTime: '2025-09-01',
    valueQuantity: { value: 3 + i / 100, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  };
}

function family(observations: number): FhirResource[] {
  const resources: FhirResource[] = [
    { resourceType: 'Patient', id: 'infant', birthDate: '2025-06-01' },
    { resourceType: 'RelatedPerson', id: 'mom', active: true, patient: { reference: 'Patient/infant' }, relationship: [{ coding: [{ system: ROLE, code: 'MTH' }] }] },
  ];
  for (let i = 0; i < observations; i += 1) resources.push(observation(i));
  return resources;
}

function serviceFetch(service: FhirService, override?: (url: URL) => string | undefined): typeof globalThis.fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const canned = override?.(url);
    if (canned !== undefined) return new Response(canned, { status: 200, headers: { 'content-type': 'application/fhir+json' } });
    const answer = await service.handle({
      method: request.method,
      path: url.pathname.slice('/fhir'.length) || '/',
      query: url.searchParams,
      body: undefined,
      accept: request.headers.get('accept') ?? undefined,
    });
    return new Response(typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  };
}

function discardingStore(): Store {
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    sessions: { create: unused, get: unused, put: unused, delete: unused, touch: unused, deleteExpired: unused, withLock: unused },
    audit: { append: async (_record: AuditRecord) => {}, listForPatient: async () => [] },
    close: async () => {},
  };
}

function facadeApp(upstream: FhirUpstream, limits: { maxPageSize: number; upstreamPageSize: number }): Hono<GatewayEnv> {
  const principal: Principal = { fhirUser: `${BASE}/RelatedPerson/mom`, reference: 'RelatedPerson/mom', kind: 'RelatedPerson', scopes: [] };
  const app = new Hono<GatewayEnv>();
  app.use('/fhir/*', async (c, next) => {
    c.set('requestId', 'bench');
    c.set('session', { id: 's', createdAt: NOW, lastSeenAt: NOW, fhirBaseUrl: BASE, principal, secret: 'bench-secret-of-enough-length' });
    c.set('principal', principal);
    c.set('upstream', upstream);
    await next();
  });
  app.route('/fhir', createFhirFacade({ profile: BUILTIN_PROFILES['ca-strict'], store: discardingStore(), clock: { now: () => NOW }, limits }));
  return app;
}

async function timeIt(rounds: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, rounds); i += 1) await run(); // warm-up
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) await run();
  return performance.now() - started;
}

async function searchThroughput(): Promise<number> {
  const service = new FhirService({ fhirBaseUrl: BASE });
  await service.load(family(300));
  const upstream = createFetchUpstream({ baseUrl: BASE, fetch: serviceFetch(service), timeoutMs: 10_000, maxBytes: 32 * 1024 * 1024, retries: 0 });
  const app = facadeApp(upstream, { maxPageSize: 100, upstreamPageSize: 100 });

  const passThroughMs = await timeIt(ROUNDS, async () => {
    const answer = await upstream.getJson(SEARCH);
    return JSON.stringify(answer.ok ? answer.resource : {});
  });
  const filteredMs = await timeIt(ROUNDS, async () => {
    const response = await app.request('http://portal.bench/fhir/Observation?patient=infant&_count=50');
    if (response.status !== 200) throw new Error(`facade answered ${response.status}: ${await response.text()}`);
    return response.text();
  });
  const ratio = passThroughMs / filteredMs;
  console.log(`search: pass-through ${(ROUNDS / (passThroughMs / 1000)).toFixed(0)} req/s, filtered ${(ROUNDS / (filteredMs / 1000)).toFixed(0)} req/s`);
  console.log(`  throughput ratio filtered / pass-through = ${ratio.toFixed(2)}× (target ≥ 0.90×)`);
  return ratio;
}

async function bundleFilteringCost(): Promise<number> {
  const service = new FhirService({ fhirBaseUrl: BASE });
  await service.load(family(0));
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: Array.from({ length: 1000 }, (_, i) => ({ fullUrl: `${BASE}/Observation/obs-${i}`, resource: observation(i), search: { mode: 'match' as const } })),
  };
  const text = JSON.stringify(bundle);
  // The search itself is canned (the same 1,000-entry text every time); facts still come from the sandbox.
  const fetch = serviceFetch(service, (url) => (url.pathname === '/fhir/Observation' ? text : undefined));
  const upstream = createFetchUpstream({ baseUrl: BASE, fetch, timeoutMs: 10_000, maxBytes: 32 * 1024 * 1024, retries: 0 });
  const app = facadeApp(upstream, { maxPageSize: 1000, upstreamPageSize: 1000 });
  const rounds = 30;

  const baselineMs = await timeIt(rounds, async () => JSON.stringify(JSON.parse(text)));
  const facadeMs = await timeIt(rounds, async () => {
    const response = await app.request('http://portal.bench/fhir/Observation?patient=infant&_count=1000');
    const body = await response.text();
    if (response.status !== 200 || !body.includes('obs-999')) throw new Error(`facade answered ${response.status}`);
    return body;
  });
  const ratio = facadeMs / baselineMs;
  console.log(`1,000-entry bundle: parse+stringify ${(baselineMs / rounds).toFixed(2)} ms, facade (fetch+filter+serialise) ${(facadeMs / rounds).toFixed(2)} ms`);
  console.log(`  cost ratio facade / (JSON.parse + JSON.stringify) = ${ratio.toFixed(2)}× (target ≤ 1.50×)`);
  return ratio;
}

const throughput = await searchThroughput();
const cost = await bundleFilteringCost();
console.log(`\nthroughput ratio ${throughput.toFixed(2)}× ${throughput >= 0.9 ? 'meets' : 'misses'} the ≥ 0.90× target; cost ratio ${cost.toFixed(2)}× ${cost <= 1.5 ? 'meets' : 'misses'} the ≤ 1.50× target.`);
