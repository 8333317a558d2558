/**
 * The allow-listed guardian view (ca-adolescent-split, a 15-year-old): everyday records on the allow-list are served
 * even when they point at records the guardian may not see (the visit they were prescribed at), and those references
 * are removed so no hidden id leaves the gateway.
 */
import type { Bundle, FhirResource, MedicationRequest } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { omitReferences } from '../../../gateway/src/fhir/omit-references.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { loadSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import type { Harness } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream } from '../leaks/support/sandbox-upstream.ts';

const FAMILY_DIR = new URL('../../../fixtures/family/', import.meta.url).pathname;
const NOW = Date.parse('2025-06-02T23:00:00Z');

describe('omitReferences', () => {
  const toRelative = (reference: string) => reference.replace('http://ehr.test/fhir/', '');
  it('removes a referenced property, an array element, and an array left empty; keeps everything else', () => {
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      encounter: { reference: 'http://ehr.test/fhir/Encounter/hidden' },
      reasonReference: [{ reference: 'Condition/hidden' }],
      supportingInformation: [{ reference: 'Observation/shown' }, { reference: 'Condition/hidden' }],
    };
    const shown = omitReferences(request, new Set(['Encounter/hidden', 'Condition/hidden']), toRelative) as MedicationRequest;
    expect(shown).toEqual({
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      supportingInformation: [{ reference: 'Observation/shown' }],
    });
    expect(request.encounter).toBeDefined(); // the input is never changed
    expect(omitReferences(request, new Set(['Encounter/other']), toRelative)).toBe(request);
  });
});

describe('guardian of a teen under ca-adolescent-split', () => {
  let harness: Harness;
  beforeAll(async () => {
    const items = await loadSeedDirectory(FAMILY_DIR, { today: new Date(NOW) });
    const sandbox = await createSandboxUpstream(items as FhirResource[]);
    harness = createHarness({
      upstream: sandbox.upstream(),
      principal: principalFor('Person/maria-rivera'),
      profile: BUILTIN_PROFILES['ca-adolescent-split'],
      now: NOW,
    });
  }, 60_000);

  it('sees the everyday asthma inhalers, without the (hidden) visits they point at', async () => {
    const res = await harness.get('/fhir/MedicationRequest?patient=isabel-rivera');
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    const ids = (bundle.entry ?? []).map((entry) => entry.resource?.id).sort();
    expect(ids).toEqual(['isabel-albuterol', 'isabel-fluticasone']);
    const text = JSON.stringify(bundle);
    expect(text).not.toMatch(/"Encounter\//);

    const read = await harness.get('/fhir/MedicationRequest/isabel-albuterol');
    expect(read.status).toBe(200);
    const albuterol = (await read.json()) as MedicationRequest;
    expect(albuterol.encounter).toBeUndefined();
    expect(albuterol.subject.reference).toMatch(/Patient\/isabel-rivera$/);
  });

  it('sees the return-to-school note and can open its attachment, and nothing confidential', async () => {
    const res = await harness.get('/fhir/DocumentReference?patient=isabel-rivera');
    const bundle = (await res.json()) as Bundle;
    expect((bundle.entry ?? []).map((entry) => entry.resource?.id)).toEqual(['isabel-return-to-school']);
    const binary = await harness.get('/fhir/Binary/isabel-return-to-school-content');
    expect(binary.status).toBe(200);
    expect((await harness.get('/fhir/Binary/isabel-bh-note-content')).status).toBe(404);
  });
});
