/**
 * Judging a search page reads the records its entries point at (for sensitivity propagation) before judging, with
 * one `Type?_id=a,b,c` search per type (PREFETCH_IDS_PER_SEARCH ids each) instead of one read per record, those
 * searches overlapping but never more than PREFETCH_CONCURRENCY at once; each record is asked for once; a record the
 * search does not return is absent (like a 404); a failed search fails the request closed.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { PREFETCH_CONCURRENCY, PREFETCH_IDS_PER_SEARCH } from '../../../gateway/src/fhir/request-policy.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

const VISITS = 90;
let sandbox: SandboxUpstream;

function temperature(id: string, encounter: string, day: number): FhirResource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
    subject: { reference: 'Patient/infant' },
    encounter: { reference: encounter },
    effectiveDateTime: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
    valueQuantity: { value: 37, unit: 'Cel' },
  };
}

beforeAll(async () => {
  const resources: FhirResource[] = miniFamily();
  for (let i = 0; i < VISITS; i += 1) {
    resources.push({ resourceType: 'Encounter', id: `visit-${i}`, status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/infant' } });
    resources.push(temperature(`temp-${i}`, `Encounter/visit-${i}`, i));
  }
  // A temperature whose visit the EHR no longer has: absent, exactly like a 404 read.
  resources.push(temperature('temp-orphan', 'Encounter/visit-gone', VISITS));
  sandbox = await createSandboxUpstream(resources);
});

interface Recorded {
  readonly searches: string[][];
  readonly reads: string[];
  maxInFlight: number;
}

function recordingUpstream(failSearches: false | 400 | 500 = false): { recorded: Recorded; upstream: ReturnType<typeof createFetchUpstream> } {
  const recorded: Recorded = { searches: [], reads: [], maxInFlight: 0 };
  let inFlight = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/fhir/Encounter/')) recorded.reads.push(url.pathname);
    if (url.pathname !== '/fhir/Encounter') return sandbox.fetch(input, init);
    recorded.searches.push((url.searchParams.get('_id') ?? '').split(','));
    if (failSearches !== false) {
      return new Response('{"resourceType":"OperationOutcome","issue":[]}', { status: failSearches, headers: { 'content-type': 'application/fhir+json' } });
    }
    inFlight += 1;
    recorded.maxInFlight = Math.max(recorded.maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5)); // an EHR that takes a moment to answer
      return await sandbox.fetch(input, init);
    } finally {
      inFlight -= 1;
    }
  };
  return { recorded, upstream: createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch, timeoutMs: 5_000, maxBytes: 4 * 1024 * 1024, retries: 0 }) };
}

describe('reference reads while judging a page', () => {
  it('are one _id search per type and chunk, overlapping within the bound, each visit asked for once', async () => {
    const { recorded, upstream } = recordingUpstream();
    const harness = createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });

    const res = await harness.get(`/fhir/Observation?patient=infant&code=8310-5&_count=${VISITS + 1}`);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(bundle.entry).toHaveLength(VISITS + 1);

    expect(recorded.reads).toEqual([]);
    expect(recorded.searches).toHaveLength(Math.ceil((VISITS + 1) / PREFETCH_IDS_PER_SEARCH));
    expect(recorded.searches.every((ids) => ids.length <= PREFETCH_IDS_PER_SEARCH)).toBe(true);
    const asked = recorded.searches.flat();
    expect(new Set(asked).size).toBe(asked.length);
    expect(new Set(asked)).toEqual(new Set([...Array.from({ length: VISITS }, (_, i) => `visit-${i}`), 'visit-gone']));
    expect(recorded.maxInFlight).toBeGreaterThan(1);
    expect(recorded.maxInFlight).toBeLessThanOrEqual(PREFETCH_CONCURRENCY);
    // The visit the search did not return is absent: its temperature is shown without a reference to it.
    const orphan = bundle.entry?.find((entry) => entry.resource?.id === 'temp-orphan')?.resource;
    expect(orphan).toBeDefined();
  });

  it('fail the request closed when the _id search fails, without reading the records one by one', async () => {
    const { recorded, upstream } = recordingUpstream(500);
    const harness = createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });

    const res = await harness.get('/fhir/Observation?patient=infant&code=8310-5&_count=10');
    expect(res.status).toBe(502);
    const body = JSON.stringify(await res.json());
    expect(body).not.toContain('temp-');
    expect(recorded.searches.length).toBeGreaterThan(0);
    expect(recorded.reads).toEqual([]);
  });

  it('are read one by one from an EHR that refuses _id lists (400), each once', async () => {
    const { recorded, upstream } = recordingUpstream(400);
    const harness = createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });

    const res = await harness.get('/fhir/Observation?patient=infant&code=8310-5&_count=10');
    expect(res.status).toBe(200);
    expect(((await res.json()) as Bundle).entry).toHaveLength(10);
    expect(recorded.searches).toHaveLength(1);
    // Each visit of the page (and of the entry judged ahead for the next-page cursor) is read once.
    expect(recorded.reads.length).toBeGreaterThanOrEqual(10);
    expect(new Set(recorded.reads).size).toBe(recorded.reads.length);
  });
});
