/**
 * The leak suite over every public bundle in ../shared/fixtures/external (skipped when the folder is absent): all of
 * them loaded into one sandbox EHR, as `SANDBOX_SEED` would, each patient given a guardian, and the guardian's facade
 * walked at two ages of the child (11½ — the full view with minor-consent care hidden — and 16, the teen rules) under
 * both shipped profiles.
 *
 * Ground truth is the policy core's verdict on every resource of the patient (with a resolver over the whole EHR),
 * computed without the facade. The facade must never show a resource the core hides, never name a hidden id, and must
 * answer every hidden record exactly like a missing one on read, history and batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource, Patient, Resource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFamilyAccess } from '../../../gateway/src/access/load-access.ts';
import { patientIdsOf } from '../../../gateway/src/fhir/compartment.ts';
import { PATIENT_TYPES, SHARED_TYPES } from '../../../gateway/src/fhir/search-parameters.ts';
import { BUILTIN_PROFILES, decideResource } from '../../../gateway/src/policy/index.ts';
import { EXTERNAL_DIR, externalBundleFiles, guardianOf } from '../policy/support.ts';
import { createHarness, principalFor } from './support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from './support/sandbox-upstream.ts';
import type { SandboxUpstream } from './support/sandbox-upstream.ts';

const files = externalBundleFiles();
const PROFILES = ['ca-strict', 'ca-adolescent-split'] as const;
/** Ages of the child, in months, the guardian is checked at. */
const AGES = [138, 192] as const;
/** Hidden records read one by one per patient, profile and age (a deterministic sample); all of them go through batch. */
const HIDDEN_READS = 12;
const MAX_PAGES = 8;

/** Patient bundles, each with the hospital and practitioner bundles of its Synthea export (conditional references). */
function patientBundles(): { file: string; load: string[] }[] {
  return files
    .filter((file) => !/Information/.test(file))
    .map((file) => {
      const exportName = file.split('__')[0] ?? '';
      const shared = files.filter((other) => /Information/.test(other) && other.startsWith(`${exportName}__`));
      return { file, load: [...shared, file] };
    });
}

function atAge(patient: Patient, months: number): number {
  const date = new Date(`${patient.birthDate ?? '2000-01-01'}T20:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

const ref = (resource: Resource): string => `${resource.resourceType}/${resource.id ?? ''}`;

/** What the walks covered, over every bundle: checked at the end, so the suite cannot pass on empty answers. */
const walked = { hiddenReads: 0, visibleAtEleven: 0 };

describe.skipIf(files.length === 0).each(patientBundles())('no leak over the public bundle $file', ({ load }) => {
  let sandbox: SandboxUpstream;
  let patients: Patient[] = [];
  const byReference = new Map<string, Resource>();
  const ofPatient = new Map<string, Resource[]>();

  beforeAll(async () => {
    // Its own small EHR per bundle (as SANDBOX_SEED would load it): searches stay fast.
    sandbox = await createSandboxUpstream(load.map((file) => JSON.parse(readFileSync(join(EXTERNAL_DIR, file), 'utf8')) as FhirResource), { replayRepeatedGets: true });
    patients = (await sandbox.service.searchResources('Patient?_count=1000')).filter((patient): patient is Patient => patient.resourceType === 'Patient' && patient.birthDate !== undefined);
    // Each patient's guardian, on the ids the EHR gave the patients while loading.
    for (const patient of patients) {
      const guardian = guardianOf(patient, `guardian-of-${patient.id ?? ''}`);
      const answer = await sandbox.service.handle({ method: 'PUT', path: `/RelatedPerson/${guardian.id ?? ''}`, query: new URLSearchParams(), body: guardian, accept: undefined });
      expect(answer.status).toBeLessThan(300);
    }
    for (const type of ['Patient', ...Object.keys(PATIENT_TYPES), ...SHARED_TYPES]) {
      for (const resource of await sandbox.service.searchResources(`${type}?_count=100000`)) {
        byReference.set(ref(resource), resource);
        const [patientId] = patientIdsOf(resource, SANDBOX_BASE);
        if (patientId !== undefined && type !== 'Patient') ofPatient.set(patientId, [...(ofPatient.get(patientId) ?? []), resource]);
      }
    }
    expect(patients.length).toBeGreaterThan(0);
  }, 120_000);

  it.each(PROFILES.flatMap((profile) => AGES.map((age) => [profile, age] as const)))('profile %s, child aged %i months: nothing hidden shows, hidden answers like missing', async (profileId, ageMonths) => {
    const profile = BUILTIN_PROFILES[profileId];
    const resolve = (reference: string) => byReference.get(reference.replace(`${SANDBOX_BASE}/`, ''));
    let checkedHidden = 0;
    let visibleTotal = 0;
    for (const patient of patients) {
      const now = atAge(patient, ageMonths);
      const principal = principalFor(`RelatedPerson/guardian-of-${patient.id ?? ''}`);
      const family = await loadFamilyAccess(sandbox.upstream(), principal, { profile, asOf: new Date(now) });
      const access = family.patients.find((entry) => entry.decision.patient === `Patient/${patient.id ?? ''}`);
      const records = ofPatient.get(patient.id ?? '') ?? [];
      const hidden = new Set<string>();
      const visible = new Set<string>();
      for (const resource of records) {
        const shown = access !== undefined && access.decision.level !== 'none' && decideResource(access.decision, resource, resolve, profile, access.patient).effect === 'show';
        (shown ? visible : hidden).add(ref(resource));
      }
      visibleTotal += visible.size;
      const harness = createHarness({ upstream: sandbox.upstream(), principal, profile, now });
      const missing = await harness.get('/fhir/Observation/no-such-record');
      const missingBody = await missing.text();
      const leaks = (text: string, where: string): void => {
        for (const match of text.matchAll(/"(?:fullUrl|reference)":"[^"]*?([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+)"/g)) {
          if (hidden.has(match[1] ?? '')) throw new Error(`${where}: hidden ${match[1] ?? ''} is named in the answer`);
        }
      };

      // Every type, paged: only what the core shows, and nothing hidden named.
      for (const type of Object.keys(PATIENT_TYPES)) {
        let url: string | undefined = `/fhir/${type}?patient=Patient/${patient.id ?? ''}&_count=50`;
        for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
          const response = await harness.get(url);
          const text = await response.text();
          expect(response.status, url).toBe(200);
          leaks(text, url);
          const bundle = JSON.parse(text) as Bundle;
          expect(bundle.total, url).toBeUndefined();
          for (const entry of bundle.entry ?? []) {
            const shown = ref(entry.resource as Resource);
            if (!SHARED_TYPES.includes(entry.resource?.resourceType ?? '')) expect(visible.has(shown), `${url} shows ${shown}`).toBe(true);
          }
          const next = bundle.link?.find((link) => link.relation === 'next')?.url;
          url = next === undefined ? undefined : `${new URL(next).pathname}${new URL(next).search}`;
        }
      }
      // Hidden records, one by one (a deterministic sample) and all through batch: exactly the missing answer.
      const hiddenList = [...hidden].sort();
      for (const reference of hiddenList.filter((_, index) => index % Math.max(1, Math.ceil(hiddenList.length / HIDDEN_READS)) === 0)) {
        for (const path of [`/fhir/${reference}`, `/fhir/${reference}/_history`]) {
          const response = await harness.get(path);
          expect(response.status, path).toBe(404);
          expect(await response.text(), path).toBe(missingBody);
          checkedHidden += 1;
        }
      }
      for (let start = 0; start < hiddenList.length; start += 20) {
        const entry = hiddenList.slice(start, start + 20).map((url) => ({ request: { method: 'GET', url } }));
        const batch = await harness.get('/fhir', { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry }) });
        const text = await batch.text();
        leaks(text, 'batch');
        for (const answer of (JSON.parse(text) as Bundle).entry ?? []) expect(answer.response?.status).toBe('404');
      }
      // The audit never lists a hidden record as returned.
      for (const record of harness.audits) for (const reference of record.returned) expect(hidden.has(reference), `${record.query} returned ${reference}`).toBe(false);
    }
    walked.hiddenReads += checkedHidden;
    if (ageMonths < 144) walked.visibleAtEleven += visibleTotal;
  }, 120_000);
});

describe.skipIf(files.length === 0)('the public-bundle leak suite', () => {
  it('checked real answers: hidden records read, and visible ones walked for an 11½-year-old', () => {
    expect(walked.hiddenReads).toBeGreaterThan(100);
    expect(walked.visibleAtEleven).toBeGreaterThan(100);
  });
});
