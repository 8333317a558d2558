import type { Immunization } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapImmunizations, schoolImmunizationRows } from '../../../fhir-mappings/src/index.ts';

const CVX = 'http://hl7.org/fhir/sid/cvx';
const shot = (id: string, cvx: string | undefined, display: string, date: string, extra: Partial<Immunization> = {}): Immunization => ({
  resourceType: 'Immunization',
  id,
  status: 'completed',
  vaccineCode: cvx === undefined ? { text: display } : { coding: [{ system: CVX, code: cvx, display }] },
  patient: { reference: 'Patient/p1' },
  occurrenceDateTime: date,
  ...extra,
});

describe('schoolImmunizationRows (CDPH 286 layout)', () => {
  it('lists given doses only, as calendar dates in the hospital’s zone, rows in the card’s order, combinations in each row', () => {
    const record = mapImmunizations([
      shot('var', '21', 'Varicella', '2025-01-15'),
      shot('flu', '141', 'Influenza', '2025-10-01'),
      shot('flu-no', '141', 'Influenza', '2025-10-20', { status: 'not-done', statusReason: { text: 'Parent declined' } }),
      shot('ped', '110', 'DTaP-HepB-IPV', '2024-03-15T23:30:00Z'),
      shot('hepb', '08', 'Hep B', '2024-01-15'),
      shot('mmr', undefined, 'MMR', '2025-01-15'),
      shot('err', '03', 'MMR', '2025-02-01', { status: 'entered-in-error' }),
    ]);
    const rows = schoolImmunizationRows(record, 'America/Los_Angeles');
    expect(rows.map((row) => row.row ?? row.key)).toEqual(['polio', 'dtap', 'mmr', 'hepb', 'varicella', 'other:cvx:141']);
    expect(rows.find((row) => row.row === 'hepb')?.doses.map((d) => d.date)).toEqual(['2024-01-15', '2024-03-15']);
    // 23:30 UTC on Mar 15 is 4:30 PM in Los Angeles: still the 15th, and no time of day.
    expect(rows.find((row) => row.row === 'polio')?.doses).toEqual([{ key: 'Immunization/ped', date: '2024-03-15' }]);
    const flu = rows.find((row) => row.row === undefined);
    expect(flu?.vaccine).toEqual({ kind: 'text', text: 'Influenza' });
    expect(flu?.doses.map((d) => d.date)).toEqual(['2025-10-01']);
    expect(JSON.stringify(rows)).not.toContain('flu-no');
  });

  it('a record of only not-given doses prints no rows', () => {
    const record = mapImmunizations([shot('x', '20', 'DTaP', '2025-01-01', { status: 'not-done' })]);
    expect(schoolImmunizationRows(record, 'America/Los_Angeles')).toEqual([]);
  });
});
