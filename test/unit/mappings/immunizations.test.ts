import type { Immunization } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapImmunizations } from '../../../fhir-mappings/src/index.ts';

const CVX = 'http://hl7.org/fhir/sid/cvx';
const shot = (id: string, cvx: string, display: string, date: string | undefined, extra: Partial<Immunization> = {}): Immunization => ({
  resourceType: 'Immunization',
  id,
  status: 'completed',
  vaccineCode: { coding: [{ system: CVX, code: cvx, display }] },
  patient: { reference: 'Patient/p1' },
  ...(date !== undefined && { occurrenceDateTime: date }),
  ...extra,
});

describe('mapImmunizations', () => {
  it('groups doses by CVX code for a school record, vaccines A→Z, doses oldest first', () => {
    const record = mapImmunizations([
      shot('d3', '20', 'DTaP', '2025-03-01', { protocolApplied: [{ doseNumberPositiveInt: 3 }] }),
      shot('m1', '03', 'MMR', '2026-05-10', { protocolApplied: [{ doseNumberPositiveInt: 1, targetDisease: [{ text: 'Measles' }] }] }),
      shot('d1', '20', 'DTaP vaccine', '2024-07-01', { protocolApplied: [{ doseNumberString: 'first' }] }),
      shot('d2', '20', 'DTaP', '2024-09-01'),
      shot('h', '08', 'Hep B, adolescent or pediatric', '2024-05-10'),
    ]);
    expect(record.groups.map((g) => [g.cvx, g.vaccine, g.doses.map((d) => d.id)])).toEqual([
      ['20', { kind: 'text', text: 'DTaP vaccine' }, ['d1', 'd2', 'd3']],
      ['08', { kind: 'text', text: 'Hep B, adolescent or pediatric' }, ['h']],
      ['03', { kind: 'text', text: 'MMR' }, ['m1']],
    ]);
    expect(record.groups[0]?.doses.map((d) => d.doseNumber)).toEqual(['first', undefined, '3']);
    expect(record.doses.map((d) => d.id)).toEqual(['m1', 'd3', 'd2', 'd1', 'h']);
    expect(record.doses[0]?.targetDiseases).toEqual([{ kind: 'text', text: 'Measles' }]);
  });

  it('keeps not-given doses with their reason and drops entered-in-error', () => {
    const record = mapImmunizations([
      shot('nd', '141', 'Influenza', '2026-10-01', { status: 'not-done', statusReason: { coding: [{ code: 'MEDPREC', display: 'medical precaution' }] } }),
      shot('err', '141', 'Influenza', '2026-10-02', { status: 'entered-in-error' }),
    ]);
    expect(record.doses).toHaveLength(1);
    expect(record.doses[0]).toMatchObject({ status: 'not-done', statusReason: { kind: 'text', text: 'medical precaution' }, cvx: '141' });
  });

  it('groups uncoded vaccines by name and survives hostile records', () => {
    const record = mapImmunizations([
      { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'Polio' }, occurrenceDateTime: '2025-01-01' } as Immunization,
      { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'polio' }, occurrenceString: 'as a baby' } as Immunization,
      { resourceType: 'Immunization', vaccineCode: 'IPV', occurrenceDateTime: {}, protocolApplied: 'dose 1', lotNumber: 7 } as unknown as Immunization,
    ]);
    expect(record.groups.map((g) => [g.key, g.doses.length])).toEqual([
      ['name:polio', 2],
      ['unknown', 1],
    ]);
    expect(record.groups[1]?.doses[0]).toEqual({ key: 'Immunization#2', vaccine: { kind: 'unknown' }, targetDiseases: [] });
  });
});
