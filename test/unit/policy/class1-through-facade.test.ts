/**
 * Issue 8, class 1, end to end: the demo family plus a progestin-only pill pack prescribed to the teen with a
 * brand-only name and an RxNorm code in no list, and a brand pack whose name carries no ingredient but whose RxNorm code
 * is in the public contraception set. Through the real facade (sandbox upstream, ca-adolescent-split, the mother signed
 * in), neither reaches the guardian by read, search, include or batch — while the teen's everyday inhalers still do.
 */
import type { Bundle, FhirResource, MedicationRequest } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { loadSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { createHarness, principalFor, type Harness } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream } from '../leaks/support/sandbox-upstream.ts';

const FAMILY_DIR = new URL('../../../fixtures/family/', import.meta.url).pathname;
const NOW = Date.parse('2025-06-02T23:00:00Z');
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function pack(id: string, code: string, display: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/isabel-rivera' },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display },
    authoredOn: '2025-05-20T09:00:00-07:00',
  };
}

const HIDDEN = ['isabel-errin', 'isabel-camila'];

describe('class 1 through the facade: brand packs a hand list would miss', () => {
  let harness: Harness;
  beforeAll(async () => {
    const items = (await loadSeedDirectory(FAMILY_DIR, { today: new Date(NOW) })) as FhirResource[];
    const extra = [pack('isabel-errin', '2566417', 'Errin 28 Day Pack'), pack('isabel-camila', '748962', 'Camila 28 Day Pack')];
    const sandbox = await createSandboxUpstream([...items, ...extra]);
    harness = createHarness({
      upstream: sandbox.upstream(),
      principal: principalFor('Person/maria-rivera'),
      profile: BUILTIN_PROFILES['ca-adolescent-split'],
      now: NOW,
    });
  }, 60_000);

  const idsOf = async (path: string): Promise<string[]> => {
    const response = await harness.get(path);
    expect(response.status, path).toBe(200);
    const bundle = (await response.json()) as Bundle;
    return (bundle.entry ?? []).map((entry) => entry.resource?.id ?? '').sort();
  };

  it('reads of either pack answer 404', async () => {
    for (const id of HIDDEN) expect((await harness.get(`/fhir/MedicationRequest/${id}`)).status, id).toBe(404);
  });

  it('searches by patient, by id and by code return the inhalers only', async () => {
    expect(await idsOf('/fhir/MedicationRequest?patient=isabel-rivera')).toEqual(['isabel-albuterol', 'isabel-fluticasone']);
    expect(await idsOf('/fhir/MedicationRequest?patient=isabel-rivera&_id=isabel-errin,isabel-camila,isabel-albuterol')).toEqual(['isabel-albuterol']);
    expect(await idsOf(`/fhir/MedicationRequest?patient=isabel-rivera&code=${encodeURIComponent(`${RXNORM}|2566417`)}`)).toEqual([]);
    expect(await idsOf('/fhir/Patient?_id=isabel-rivera&_revinclude=MedicationRequest:patient')).toEqual(
      ['isabel-albuterol', 'isabel-fluticasone', 'isabel-rivera'],
    );
  });

  it('a batch answers the packs like missing records, and nothing of them appears in any body', async () => {
    const response = await harness.get('/fhir', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'MedicationRequest/isabel-errin' } },
          { request: { method: 'GET', url: 'MedicationRequest/isabel-camila' } },
          { request: { method: 'GET', url: 'MedicationRequest/never-existed' } },
          { request: { method: 'GET', url: 'MedicationRequest?patient=isabel-rivera' } },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const bundle = JSON.parse(text) as Bundle;
    expect(bundle.entry?.map((entry) => entry.response?.status)).toEqual(['404', '404', '404', '200']);
    expect(JSON.stringify(bundle.entry?.[0]?.response)).toBe(JSON.stringify(bundle.entry?.[2]?.response));
    expect(text).not.toMatch(/Errin|Camila|2566417|748962|isabel-errin|isabel-camila/);
  });
});
