/**
 * Issue 10, "tolerate what public sandboxes do", behind the facade (the sandbox's FHIR server stands in for them):
 * - a search Bundle without `total` pages normally (the facade never needs it);
 * - resources without `meta` are judged like any other;
 * - 502/504 bursts on GETs are retried a bounded number of times with backoff (or the server's Retry-After, capped);
 *   a POST (batch) never is; a burst longer than the retries ends in the fixed 502;
 * - malformed entries are skipped and recorded as withheld in the audit record, never shown raw; an entry that cannot
 *   be judged is withheld alone (fail closed for that entry) while the rest of the page is answered.
 */
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream, parseRetryAfter } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE, type SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

const MARKER = 'RAW-UPSTREAM-MARKER';
const WEIGHTS = Array.from({ length: 12 }, (_, i) => `weight-${i}`);
let sandbox: SandboxUpstream;

beforeAll(async () => {
  const resources: FhirResource[] = miniFamily();
  sandbox = await createSandboxUpstream(resources);
}, 60_000);

type Rewrite = (url: URL, init: RequestInit | undefined, real: () => Promise<Response>) => Promise<Response> | Response;

function harnessWith(rewrite: Rewrite, retries = 2) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    return rewrite(url, init, () => sandbox.fetch(input, init));
  };
  const upstream = createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch, timeoutMs: 5_000, maxBytes: 4 * 1024 * 1024, retries, retryBackoffMs: 1 });
  const harness = createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });
  return { harness, calls };
}

const isObservationSearch = (url: URL) => url.pathname === '/fhir/Observation' && url.searchParams.has('patient');

async function ids(response: Response): Promise<string[]> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(text).not.toContain(MARKER);
  return ((JSON.parse(text) as Bundle).entry ?? []).map((entry) => entry.resource?.id ?? '');
}

describe('public-sandbox answers the facade tolerates', () => {
  it('a Bundle without total, resources without meta: shown as usual, and no total is invented', async () => {
    const { harness } = harnessWith(async (url, _init, real) => {
      const answer = await real();
      if (!isObservationSearch(url)) return answer;
      const bundle = (await answer.json()) as Bundle;
      delete bundle.total;
      for (const entry of bundle.entry ?? []) delete entry.resource?.meta; // the sandbox stores meta; public servers may not send it
      return new Response(JSON.stringify(bundle), { status: 200 });
    });
    const response = await harness.get('/fhir/Observation?patient=infant&_count=50');
    expect([...(await ids(response.clone()))].sort()).toEqual([...WEIGHTS].sort());
    expect(((await response.json()) as Bundle).total).toBeUndefined();
  });

  it('a 502/504 burst on a GET is retried with backoff and the search is answered', async () => {
    const burst = [502, 504];
    const { harness, calls } = harnessWith(async (url, _init, real) => {
      if (isObservationSearch(url) && burst.length > 0) return new Response(`<html>${MARKER}</html>`, { status: burst.shift() ?? 502 });
      return real();
    });
    expect([...(await ids(await harness.get('/fhir/Observation?patient=infant&_count=50')))].sort()).toEqual([...WEIGHTS].sort());
    expect(calls.filter((call) => call.startsWith('GET /fhir/Observation?')).length).toBe(3);
  });

  it('a burst longer than the retries ends in the fixed 502, after a bounded number of attempts', async () => {
    const { harness, calls } = harnessWith(async (url, _init, real) => (isObservationSearch(url) ? new Response(MARKER, { status: 504 }) : real()));
    const response = await harness.get('/fhir/Observation?patient=infant');
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain(MARKER);
    expect(calls.filter((call) => call.startsWith('GET /fhir/Observation?')).length).toBe(3);
  });

  it("waits as the server's Retry-After asks, capped; backs off exponentially otherwise", async () => {
    const waits: number[] = [];
    const answers = [
      new Response(MARKER, { status: 503, headers: { 'retry-after': '1' } }),
      new Response(MARKER, { status: 502, headers: { 'retry-after': '3600' } }), // an hour: capped
      new Response(MARKER, { status: 504 }),
      new Response(MARKER, { status: 502, headers: { 'retry-after': 'soon' } }), // unreadable: the backoff
    ];
    const upstream = createFetchUpstream({
      baseUrl: SANDBOX_BASE,
      fetch: async (input, init) => answers.shift() ?? sandbox.fetch(input, init),
      timeoutMs: 1_000,
      maxBytes: 1024 * 1024,
      retries: 4,
      retryBackoffMs: 100,
      maxRetryDelayMs: 2_000,
      sleep: async (ms) => void waits.push(ms),
    });
    const answer = await upstream.getJson('Patient/infant');
    expect(answer.ok).toBe(true);
    expect(waits).toEqual([1_000, 2_000, 400, 800]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Fri, 04 Dec 2026 12:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Fri, 04 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('a POST is never retried', async () => {
    const { calls } = harnessWith(() => new Response(MARKER, { status: 502 }));
    const upstream = createFetchUpstream({
      baseUrl: SANDBOX_BASE,
      fetch: async (input, init) => {
        calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
        return new Response(MARKER, { status: 502 });
      },
      timeoutMs: 1_000,
      maxBytes: 1024,
      retries: 2,
      retryBackoffMs: 1,
    });
    await expect(upstream.postJson('', { resourceType: 'Bundle', type: 'batch' })).rejects.toMatchObject({ failure: 'bad-status', status: 502 });
    expect(calls.filter((call) => call.startsWith('POST')).length).toBe(1);
  });
});

describe('malformed entries', () => {
  const malformed: unknown[] = [
    null,
    'just a string',
    { resource: `text ${MARKER}` },
    { resource: { id: 'no-type', note: MARKER, subject: { reference: 'Patient/infant' } } },
    { resource: { resourceType: 'Observation', status: 'final', code: { text: MARKER }, subject: { reference: 'Patient/infant' } } }, // no id
    { resource: { resourceType: 'Observation', id: `../${MARKER}`, status: 'final', code: { text: MARKER }, subject: { reference: 'Patient/infant' } } },
    { resource: { resourceType: 'Observation', id: 'bad-shapes', status: 'final', code: MARKER, category: MARKER, subject: `Patient/infant ${MARKER}` } },
    { resource: [MARKER] },
  ];

  it('are skipped, recorded as withheld, and never shown; the well-formed entries are answered', async () => {
    const { harness } = harnessWith(async (url, _init, real) => {
      const answer = await real();
      if (!isObservationSearch(url)) return answer;
      const bundle = (await answer.json()) as Bundle;
      const entries = [...(bundle.entry ?? [])];
      entries.splice(3, 0, ...(malformed as BundleEntry[]));
      return new Response(JSON.stringify({ ...bundle, entry: entries }), { status: 200 });
    });
    const response = await harness.get('/fhir/Observation?patient=infant&_count=50');
    expect([...(await ids(response))].sort()).toEqual([...WEIGHTS].sort());
    const audit = harness.audits.at(-1);
    expect(audit?.outcome).toBe('filtered'); // something was withheld
    expect(JSON.stringify(audit)).not.toContain(MARKER);
    expect(JSON.stringify(audit)).toContain('malformed-entry');
  });

  it('a malformed include is skipped the same way', async () => {
    const { harness } = harnessWith(async (url, _init, real) => {
      const answer = await real();
      if (!isObservationSearch(url)) return answer;
      const bundle = (await answer.json()) as Bundle;
      const entries: unknown[] = [...(bundle.entry ?? []), { resource: { resourceType: 'Practitioner', note: MARKER }, search: { mode: 'include' } }, { resource: null, search: { mode: 'include' } }];
      return new Response(JSON.stringify({ ...bundle, entry: entries }), { status: 200 });
    });
    const response = await harness.get('/fhir/Observation?patient=infant&_count=50&_include=Observation:performer');
    const found = await ids(response);
    expect(found.filter((id) => id.startsWith('weight-')).sort()).toEqual([...WEIGHTS].sort());
  });
});
