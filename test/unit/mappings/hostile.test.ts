/**
 * Property tests: realistic resources with random parts replaced by arbitrary JSON (hostile or broken EHR data cast
 * through unknown) never make a mapper throw, and never produce output unfit for a screen.
 */
import fc from 'fast-check';
import type { FhirResource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { ageAt } from '../../../fhir-mappings/src/index.ts';
import { insanities, mapEverything } from './support.ts';

const SEEDS: unknown[] = [
  { resourceType: 'Patient', id: 'p', name: [{ use: 'official', given: ['Ana'], family: 'Ruiz', prefix: ['Ms.'] }], birthDate: '2024-02-29', gender: 'female', identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'M1' }], text: { div: '<div>x</div>' } },
  { resourceType: 'Condition', id: 'c', clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ code: 'confirmed' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }] }, onsetAge: { value: 2, unit: 'a' }, note: [{ text: 'n' }] },
  { resourceType: 'AllergyIntolerance', id: 'a', code: { text: 'Peanut' }, criticality: 'high', category: ['food'], reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'severe', substance: { text: 'Peanut' } }] },
  { resourceType: 'AllergyIntolerance', id: 'nka', code: { coding: [{ system: 'http://snomed.info/sct', code: '409137002' }] } },
  { resourceType: 'Medication', id: 'm', code: { text: 'Albuterol' } },
  { resourceType: 'MedicationRequest', id: 'mr', status: 'active', medicationReference: { reference: 'Medication/m' }, requester: { reference: 'Practitioner/d' }, authoredOn: '2026-01-01', dispenseRequest: { numberOfRepeatsAllowed: 2 }, dosageInstruction: [{ doseAndRate: [{ doseRange: { low: { value: 1 }, high: { value: 2, unit: 'puff' } } }], timing: { code: { text: 'Q4H' }, repeat: { frequency: 1, period: 4, periodUnit: 'h', when: ['WAKE'] } }, asNeededBoolean: true }] },
  { resourceType: 'MedicationDispense', id: 'md', status: 'completed', authorizingPrescription: [{ reference: 'MedicationRequest/mr' }] },
  { resourceType: 'Practitioner', id: 'd', name: [{ given: ['Li'], family: 'Wong' }] },
  { resourceType: 'Immunization', id: 'i', status: 'not-done', statusReason: { text: 'Parent refused' }, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20', display: 'DTaP' }] }, occurrenceDateTime: '2026-03-01', protocolApplied: [{ doseNumberPositiveInt: 2, targetDisease: [{ text: 'Pertussis' }] }] },
  { resourceType: 'Observation', id: 'o1', status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, effectiveDateTime: '2026-01-01', valueQuantity: { value: 11, unit: 'g/dL' }, referenceRange: [{ low: { value: 11.5 }, high: { value: 15 }, text: 'ok' }], interpretation: [{ coding: [{ code: 'L' }] }], component: [{ code: { text: 'x' }, valueString: 's' }], hasMember: [{ reference: 'Observation/o2' }] },
  { resourceType: 'Observation', id: 'o2', status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, effectivePeriod: { start: '2026-02-01' }, valueQuantity: { value: 12, unit: 'g/dL' } },
  { resourceType: 'Observation', id: 'w', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, effectiveDateTime: '2026-02-01', valueQuantity: { value: 4, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } },
  { resourceType: 'DiagnosticReport', id: 'r', status: 'final', category: [{ coding: [{ code: 'LAB' }] }], code: { text: 'CBC' }, result: [{ reference: 'Observation/o1' }], conclusion: 'c', presentedForm: [{ contentType: 'application/pdf', url: 'Binary/1', size: 3, title: 't' }], effectiveDateTime: '2026-01-01' },
  { resourceType: 'DiagnosticReport', id: 'x', status: 'final', category: [{ coding: [{ code: 'RAD' }] }], code: { text: 'X-ray' }, performer: [{ display: 'Radiology' }], issued: '2026-01-01T00:00:00Z' },
  { resourceType: 'Encounter', id: 'e', status: 'finished', class: { code: 'AMB' }, type: [{ text: 'Visit' }], period: { start: '2026-01-01' }, location: [{ location: { reference: 'Location/l' } }], participant: [{ individual: { reference: 'Practitioner/d' } }], serviceType: { text: 'Peds' } },
  { resourceType: 'Location', id: 'l', name: 'Clinic' },
  { resourceType: 'DocumentReference', id: 'dr', status: 'current', type: { text: 'Note' }, date: '2026-01-01', author: [{ reference: 'Practitioner/d' }], content: [{ attachment: { contentType: 'text/plain', url: 'Binary/2' } }], securityLabel: [{ coding: [{ code: 'N' }] }], context: { encounter: [{ reference: 'Encounter/e' }] } },
  { resourceType: 'Appointment', id: 'ap', status: 'booked', start: '2026-12-01T17:00:00Z', end: '2026-12-01T17:30:00Z', serviceType: [{ text: 'Peds' }], participant: [{ actor: { reference: 'Practitioner/d' } }, { actor: { reference: 'Location/l' } }], extension: [{ url: 'urn:sprout:virtual-visit-url', valueUrl: 'https://v.example/1' }] },
];

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaceAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

const allPaths = SEEDS.flatMap((seed, i) => pathsOf(seed).filter((p) => p[0] !== 'resourceType').map((p) => [i, p] as const));

const mutation = fc.tuple(fc.nat({ max: allPaths.length - 1 }), fc.oneof(fc.jsonValue(), fc.constantFrom('undefined', '[object Object]', 'NaN', '', ' ', 'javascript:alert(1)', -1, 1e308, [], {}, null)));

describe('mappers over mutated resources', () => {
  it('never throw and never produce unfit output', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const resources = [...SEEDS];
        for (const [pick, replacement] of mutations) {
          const [seedIndex, path] = allPaths[pick] as readonly [number, Path];
          try {
            resources[seedIndex] = replaceAt(resources[seedIndex], path, replacement);
          } catch {
            // An earlier mutation removed the path's parent; nothing to replace.
          }
        }
        const output = mapEverything(resources as FhirResource[]);
        expect(insanities(output)).toEqual([]);
        expect(JSON.parse(JSON.stringify(output))).toStrictEqual(output);
      }),
      { numRuns: 400 },
    );
  });

  it('accept garbage at the top level', () => {
    for (const garbage of [null, undefined, 42, 'Bundle', [], [null, 1, 'x', {}], { resourceType: 'Bundle', entry: 'x' }, { resourceType: 'Bundle', entry: [null, { resource: 5 }, { resource: { resourceType: 7 } }] }]) {
      expect(insanities(mapEverything(garbage as unknown as FhirResource[]))).toEqual([]);
    }
  });

  it('the sanity walker itself flags what it must', () => {
    expect(insanities({ a: 'undefined' })).not.toEqual([]);
    expect(insanities({ a: ['x [object Object]'] })).not.toEqual([]);
    expect(insanities({ a: Number.NaN })).not.toEqual([]);
    expect(insanities({ label: { kind: 'text', text: '' } })).not.toEqual([]);
    expect(insanities({ a: undefined })).not.toEqual([]);
    expect(insanities({ a: new Date() })).not.toEqual([]);
    expect(insanities({ initials: '', a: { kind: 'unknown' } })).toEqual([]);
  });
});

describe('ageAt properties', () => {
  it('is consistent: years and months agree with total months, days stay within a month', () => {
    const day = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }).map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 20 * 366 * 86_400_000 }), fc.constantFrom('UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'), (birth, delta, zone) => {
        const asOf = new Date(Date.parse(`${birth}T12:00:00Z`) + delta);
        const age = ageAt(birth, asOf, zone);
        if (age === undefined) return; // asOf fell before the birth day in that zone
        expect(age.days).toBeGreaterThanOrEqual(0);
        expect(age.days).toBeLessThan(31);
        expect(age.months).toBeLessThan(12);
        expect(age.totalDays).toBeGreaterThanOrEqual(age.years * 365);
        expect(age.value).toBe(age.unit === 'days' ? age.totalDays : age.unit === 'months' ? age.years * 12 + age.months : age.years);
      }),
      { numRuns: 300 },
    );
  });
});
