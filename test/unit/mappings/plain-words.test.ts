import { describe, expect, it } from 'vitest';
import {
  mapAppointments,
  mapTestResults,
  mapVisits,
  plainAppointmentWords,
  plainTestName,
  plainUnit,
  plainVisitWords,
  PLAIN_TEST_NAME_CODES,
  type CodingView,
} from '../../../fhir-mappings/src/index.ts';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const text = (t: string) => ({ kind: 'text', text: t }) as const;

describe('plainTestName', () => {
  const a1c: CodingView[] = [{ system: LOINC, code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' }];

  it('uses the reviewed consumer name in the reader’s language and keeps the formal name for on demand', () => {
    expect(plainTestName(text('Hemoglobin A1c/Hemoglobin.total in Blood'), a1c, 'en')).toEqual({
      plain: 'Hemoglobin A1c (average blood sugar)',
      formal: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    });
    expect(plainTestName(text('Hemoglobin A1c/Hemoglobin.total in Blood'), a1c, 'es').plain).toBe('Hemoglobina A1c (azúcar promedio en la sangre)');
    const wbc: CodingView[] = [{ system: LOINC, code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count' }];
    expect(plainTestName(text('Leukocytes [#/volume] in Blood by Automated count'), wbc, 'en').plain).toBe('White blood cells');
    const tsh: CodingView[] = [{ system: LOINC, code: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma' }];
    expect(plainTestName(text('Thyrotropin [Units/volume] in Serum or Plasma'), tsh, 'es').plain).toBe('Hormona estimulante de la tiroides (TSH)');
  });

  it('outside the table: the EHR’s own text, else the shortest display; no formal name when it says nothing more', () => {
    const codes: CodingView[] = [
      { system: LOINC, code: '99999-9', display: 'Zinc [Mass/volume] in Serum or Plasma' },
      { system: 'urn:local', code: 'ZN', display: 'Zinc' },
    ];
    expect(plainTestName(text('Zinc level'), codes, 'en')).toEqual({ plain: 'Zinc level', formal: 'Zinc [Mass/volume] in Serum or Plasma' });
    expect(plainTestName(text('Zinc [Mass/volume] in Serum or Plasma'), codes, 'en')).toEqual({ plain: 'Zinc', formal: 'Zinc [Mass/volume] in Serum or Plasma' });
    expect(plainTestName(text('Zinc'), [{ code: 'ZN', display: 'Zinc' }], 'en')).toEqual({ plain: 'Zinc' });
    expect(plainTestName({ kind: 'unknown' }, [], 'en')).toEqual({});
  });

  it('every table entry has English and Spanish, and codes are unique', () => {
    expect(new Set(PLAIN_TEST_NAME_CODES).size).toBe(PLAIN_TEST_NAME_CODES.length);
    for (const code of PLAIN_TEST_NAME_CODES) {
      const codes = [{ system: LOINC, code, display: 'x' }];
      const en = plainTestName(text('x'), codes, 'en').plain;
      const es = plainTestName(text('x'), codes, 'es').plain;
      expect(en, code).toBeTruthy();
      expect(es, code).toBeTruthy();
    }
  });

  it('names report results from the mapper', () => {
    const results = mapTestResults([
      {
        resourceType: 'Observation',
        id: 'o1',
        status: 'final',
        category: [{ coding: [{ code: 'laboratory' }] }],
        code: { coding: [{ system: LOINC, code: '777-3', display: 'Platelets [#/volume] in Blood by Automated count' }] },
        valueQuantity: { value: 250, unit: '10*3/uL', system: 'http://unitsofmeasure.org', code: '10*3/uL' },
        effectiveDateTime: '2026-01-02',
      },
    ]);
    const result = results.ungrouped[0]?.results[0];
    expect(result && plainTestName(result.label, result.codes, 'es').plain).toBe('Plaquetas');
  });
});

describe('plainUnit', () => {
  it('spells out counts and cleans UCUM notation', () => {
    expect(plainUnit('10*3/uL', 'en')).toBe('thousand per µL');
    expect(plainUnit('10*3/uL', 'es')).toBe('mil por µL');
    expect(plainUnit('10*9/L', 'en')).toBe('thousand per µL');
    expect(plainUnit('10*6/uL', 'es')).toBe('millones por µL');
    expect(plainUnit('m[IU]/L', 'en')).toBe('mIU/L');
    expect(plainUnit('ug/dL', 'en')).toBe('µg/dL');
    expect(plainUnit('umol/L', 'en')).toBe('µmol/L');
    expect(plainUnit('mg/dL', 'en')).toBe('mg/dL');
    expect(plainUnit('U/L', 'en')).toBe('U/L');
    expect(plainUnit('{copies}/mL', 'en')).toBe('/mL');
    expect(plainUnit('10*5', 'en')).toBe('×10⁵');
    expect(plainUnit('1', 'en')).toBeUndefined();
    expect(plainUnit('  ', 'en')).toBeUndefined();
    expect(plainUnit(undefined, 'en')).toBeUndefined();
    expect(plainUnit('{score}', 'es')).toBe('puntos');
  });
});

describe('plain visit and appointment words', () => {
  const encounter = (cls: string, clsDisplay: string, type: { code: string; display: string; text?: string }) => ({
    resourceType: 'Encounter' as const,
    id: `e-${cls}-${type.code}`,
    status: 'finished' as const,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls, display: clsDisplay },
    type: [{ coding: [{ system: SNOMED, code: type.code, display: type.display }], ...(type.text !== undefined && { text: type.text }) }],
    serviceType: { coding: [{ system: SNOMED, code: '394537008', display: 'Pediatric specialty' }] },
    period: { start: '2026-03-03T09:00:00-08:00', end: '2026-03-03T09:40:00-08:00' },
  });

  it('replaces coded visit types and classes with plain words in both languages', () => {
    const [checkup] = mapVisits([encounter('AMB', 'ambulatory', { code: '185349003', display: 'Encounter for check up' })]);
    expect(checkup && plainVisitWords(checkup, 'en')).toEqual({ name: 'Check-up', kind: 'Clinic visit', service: 'Pediatrics' });
    expect(checkup && plainVisitWords(checkup, 'es')).toEqual({ name: 'Chequeo', kind: 'Consulta en la clínica', service: 'Pediatría' });
    const [stay] = mapVisits([encounter('IMP', 'inpatient encounter', { code: '1234', display: 'Inpatient stay code' })]);
    expect(stay && plainVisitWords(stay, 'en').name).toBe('Hospital stay');
    const [own] = mapVisits([encounter('AMB', 'ambulatory', { code: '1234', display: 'Coded thing', text: 'Cast check' })]);
    expect(own && plainVisitWords(own, 'en')).toEqual({ name: 'Cast check', kind: 'Clinic visit', service: 'Pediatrics' });
  });

  it('an appointment is named by what a person wrote, with the clinic in plain words', () => {
    const lists = mapAppointments(
      [
        {
          resourceType: 'Appointment',
          id: 'a1',
          status: 'booked',
          description: 'Sports physical',
          serviceType: [{ coding: [{ system: SNOMED, code: '394589003', display: 'Adolescent medicine' }] }],
          start: '2026-12-01T10:00:00-08:00',
          participant: [{ status: 'accepted' }],
        },
      ],
      '2026-11-22T00:00:00Z',
    );
    const item = lists.upcoming[0];
    expect(item && plainAppointmentWords(item, 'es')).toEqual({ name: 'Sports physical', service: 'Salud de adolescentes' });
  });
});
