/**
 * Judging a search page reads the records its entries point at (for sensitivity propagation) in parallel waves,
 * never one entry at a time, and never more than PREFETCH_CONCURRENCY reads at once; each record is read once.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { PREFETCH_CONCURRENCY } from '../../../gateway/src/fhir/request-policy.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

const VISITS = 20;
let sandbox: SandboxUpstream;

beforeAll(async () => {
  const resources: FhirResource[] = miniFamily();
  for (let i = 0; i < VISITS; i += 1) {
    resources.push({ resourceType: 'Encounter', id: `visit-${i}`, status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/infant' } });
    resources.push({
      resourceType: 'Observation',
      id: `temp-${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
      subject: { reference: 'Patient/infant' },
      encounter: { reference: `Encounter/visit-${i}` },
      effectiveDateTime: `2026-01-${String(i + 1).padStart(2, '0')}`,
      valueQuantity: { value: 37, unit: 'Cel' },
    });
  }
  sandbox = await createSandboxUpstream(resources);
});

describe('reference reads while judging a page', () => {
  it('overlap, stay within the concurrency bound, and read each visit once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const encounterReads: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!url.pathname.startsWith('/fhir/Encounter/')) return sandbox.fetch(input, init);
      encounterReads.push(url.pathname);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5)); // an EHR that takes a moment to answer
        return await sandbox.fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const upstream = createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch, timeoutMs: 5_000, maxBytes: 1024 * 1024, retries: 0 });
    const harness = createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });

    const res = await harness.get(`/fhir/Observation?patient=infant&code=8310-5&_count=${VISITS}`);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(bundle.entry).toHaveLength(VISITS);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(PREFETCH_CONCURRENCY);
    expect(new Set(encounterReads).size).toBe(VISITS);
    expect(encounterReads).toHaveLength(VISITS);
  });
});
