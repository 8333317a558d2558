/**
 * The principal's own facts (their Person and the RelatedPersons it links) are read once per request, however many
 * patients the request touches; the next request reads them again (a revoked grant takes effect at once).
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { loadSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';

const FAMILY_DIR = new URL('../../../fixtures/family/', import.meta.url).pathname;
const NOW = Date.parse('2025-06-02T23:00:00Z');
let sandbox: SandboxUpstream;

beforeAll(async () => {
  const items = await loadSeedDirectory(FAMILY_DIR, { today: new Date(NOW) });
  sandbox = await createSandboxUpstream(items as FhirResource[]);
}, 60_000);

describe('principal facts per request', () => {
  it('a batch over three children reads the Person and each linked RelatedPerson once', async () => {
    const paths: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return sandbox.fetch(input, init);
    };
    const upstream = createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch, timeoutMs: 5_000, maxBytes: 8 * 1024 * 1024, retries: 0 });
    const harness = createHarness({ upstream, principal: principalFor('Person/maria-rivera'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: ['leo-rivera', 'sofia-rivera', 'mateo-rivera'].map((id) => ({ request: { method: 'GET', url: `Patient/${id}` } })),
    };
    const res = await harness.get('/fhir', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Bundle;
    expect(answer.entry?.map((entry) => entry.response?.status)).toEqual(['200', '200', '200']);
    expect(paths.filter((path) => path.endsWith('/Person/maria-rivera'))).toHaveLength(1);
    expect(paths.filter((path) => path.endsWith('/RelatedPerson/maria-rivera-for-leo'))).toHaveLength(1);

    paths.length = 0;
    expect((await harness.get('/fhir/Patient/leo-rivera')).status).toBe(200);
    expect(paths.filter((path) => path.endsWith('/Person/maria-rivera'))).toHaveLength(1);
  });
});
