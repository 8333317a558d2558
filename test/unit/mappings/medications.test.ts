import type { Medication, MedicationDispense, MedicationRequest, Practitioner } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapMedications } from '../../../fhir-mappings/src/index.ts';

const request = (id: string, extra: Partial<MedicationRequest>): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  ...extra,
});
const dispense = (id: string, prescription: string, status: MedicationDispense['status'] = 'completed'): MedicationDispense => ({
  resourceType: 'MedicationDispense',
  id,
  status,
  authorizingPrescription: [{ reference: prescription }],
});

describe('mapMedications', () => {
  it('maps name, dose text, prescriber, status, authored date and refills left', () => {
    const meds = mapMedications([
      request('amox', {
        medicationCodeableConcept: { text: 'Amoxicillin 250 mg/5 mL suspension' },
        authoredOn: '2026-11-01T10:00:00-08:00',
        requester: { reference: 'Practitioner/dr1', display: 'Dr. Ana Soto' },
        dosageInstruction: [{ text: '5 mL by mouth twice daily for 10 days' }],
        dispenseRequest: { numberOfRepeatsAllowed: 2 },
      }),
    ]);
    expect(meds).toEqual([
      {
        key: 'MedicationRequest/amox',
        id: 'amox',
        name: { kind: 'text', text: 'Amoxicillin 250 mg/5 mL suspension' },
        codes: [],
        status: 'active',
        intent: 'order',
        isActive: true,
        authoredOn: { iso: '2026-11-01T10:00:00-08:00', precision: 'time' },
        prescriber: 'Dr. Ana Soto',
        dosage: [{ text: '5 mL by mouth twice daily for 10 days', additionalInstructions: [], asNeeded: false }],
        refills: { allowed: 2, left: 2, dispensesKnown: false },
        reasons: [],
        notes: [],
      },
    ]);
  });

  it('builds structured dose parts when there is no text', () => {
    const [med] = mapMedications([
      request('ibu', {
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '310965', display: 'Ibuprofen 100 MG/5ML' }] },
        dosageInstruction: [
          {
            doseAndRate: [{ doseQuantity: { value: 7.5, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' } }],
            timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h', boundsPeriod: { end: '2026-12-01' } } },
            asNeededCodeableConcept: { text: 'fever or pain' },
            route: { coding: [{ display: 'Oral' }] },
            maxDosePerPeriod: { numerator: { value: 4, unit: 'doses' }, denominator: { value: 1, unit: 'd' } },
          },
        ],
      }),
    ]);
    expect(med?.dosage).toEqual([
      {
        additionalInstructions: [],
        dose: { kind: 'quantity', quantity: { value: 7.5, unit: 'mL', ucum: 'mL' } },
        timing: { frequency: 1, period: 6, periodUnit: 'h', when: [], timeOfDay: [], dayOfWeek: [], bounds: { end: { iso: '2026-12-01', precision: 'day' } } },
        asNeeded: true,
        asNeededFor: { kind: 'text', text: 'fever or pain' },
        route: { kind: 'text', text: 'Oral' },
        maxDosePerPeriod: { numerator: { value: 4, unit: 'doses' }, denominator: { value: 1, unit: 'd' } },
      },
    ]);
    expect(med?.codes).toEqual([{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '310965', display: 'Ibuprofen 100 MG/5ML' }]);
  });

  it('resolves medicationReference from contained and included Medications, and the prescriber from an included Practitioner', () => {
    const included: Medication = { resourceType: 'Medication', id: 'm1', code: { text: 'Albuterol HFA' } };
    const practitioner: Practitioner = { resourceType: 'Practitioner', id: 'dr2', name: [{ prefix: ['Dr.'], given: ['Li'], family: 'Wong' }] };
    const meds = mapMedications({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { fullUrl: 'https://ehr.example/fhir/MedicationRequest/a', resource: request('a', { medicationReference: { reference: 'Medication/m1' }, requester: { reference: 'Practitioner/dr2' }, authoredOn: '2026-01-01' }) },
        {
          resource: request('b', {
            contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ display: 'Cetirizine 1 mg/mL' }] } } as Medication],
            medicationReference: { reference: '#med' },
            authoredOn: '2026-02-01',
          }),
        },
        { resource: request('c', { medicationReference: { reference: 'Medication/missing', display: 'Fluticasone' }, authoredOn: '2025-01-01' }) },
        { resource: request('d', { medicationReference: { reference: 'Medication/missing' }, authoredOn: '2024-01-01' }) },
        { resource: included, search: { mode: 'include' } },
        { resource: practitioner, search: { mode: 'include' } },
      ],
    });
    expect(meds.map((m) => [m.id, m.name])).toEqual([
      ['b', { kind: 'text', text: 'Cetirizine 1 mg/mL' }],
      ['a', { kind: 'text', text: 'Albuterol HFA' }],
      ['c', { kind: 'text', text: 'Fluticasone' }],
      ['d', { kind: 'unknown' }],
    ]);
    expect(meds[1]?.prescriber).toBe('Li Wong');
  });

  it('subtracts refills already used (fills after the first) when dispenses are known', () => {
    const meds = mapMedications([
      request('r', { medicationCodeableConcept: { text: 'Montelukast' }, dispenseRequest: { numberOfRepeatsAllowed: 3 } }),
      request('s', { medicationCodeableConcept: { text: 'Fluoride' }, dispenseRequest: { numberOfRepeatsAllowed: 1 } }),
      dispense('d1', 'MedicationRequest/r'),
      dispense('d2', 'MedicationRequest/r'),
      dispense('d3', 'MedicationRequest/r'),
      dispense('d4', 'MedicationRequest/r', 'cancelled'),
    ]);
    const byId = Object.fromEntries(meds.map((m) => [m.id, m.refills]));
    expect(byId.r).toEqual({ allowed: 3, used: 2, left: 1, dispensesKnown: true });
    expect(byId.s).toEqual({ allowed: 1, left: 1, dispensesKnown: true });
  });

  it('lists active first, leaves out entered-in-error, and survives hostile requests', () => {
    const meds = mapMedications([
      request('done', { status: 'completed', medicationCodeableConcept: { text: 'A' }, authoredOn: '2026-06-01' }),
      request('now', { status: 'active', medicationCodeableConcept: { text: 'B' }, authoredOn: '2020-06-01' }),
      request('err', { status: 'entered-in-error', medicationCodeableConcept: { text: 'C' } }),
      {
        resourceType: 'MedicationRequest',
        status: 'weird',
        medicationCodeableConcept: 'Tylenol',
        dosageInstruction: [{ text: 12, timing: { repeat: { frequency: 'often', periodUnit: 'fortnight' } } }, 'take some'],
        dispenseRequest: { numberOfRepeatsAllowed: -1 },
        requester: 'Dr. Who',
      } as unknown as MedicationRequest,
    ]);
    expect(meds.map((m) => m.id)).toEqual(['now', 'done', undefined]);
    expect(meds[2]).toEqual({ key: 'MedicationRequest#3', name: { kind: 'unknown' }, codes: [], isActive: false, dosage: [], reasons: [], notes: [] });
  });
});
