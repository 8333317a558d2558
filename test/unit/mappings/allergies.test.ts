import type { AllergyIntolerance } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapAllergies } from '../../../fhir-mappings/src/index.ts';

const sct = (code: string, display: string) => ({ coding: [{ system: 'http://snomed.info/sct', code, display }] });
const allergy = (id: string, extra: Partial<AllergyIntolerance>): AllergyIntolerance => ({ resourceType: 'AllergyIntolerance', id, patient: { reference: 'Patient/p1' }, ...extra });

describe('mapAllergies', () => {
  it('maps substance, reactions, worst severity and criticality; active and critical first', () => {
    const list = mapAllergies([
      allergy('egg', { code: { text: 'Egg' }, criticality: 'low', reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'mild' }] }),
      allergy('peanut', {
        code: sct('91935009', 'Peanut'),
        criticality: 'high',
        category: ['food'],
        reaction: [
          { manifestation: [{ text: 'Hives' }, { coding: [{ display: 'Wheezing' }] }], severity: 'moderate' },
          { manifestation: [{ coding: [{ display: 'Anaphylaxis' }] }], severity: 'severe' },
        ],
      }),
      allergy('old', { code: { text: 'Amoxicillin' }, clinicalStatus: { coding: [{ code: 'resolved' }] }, criticality: 'high' }),
    ]);
    expect(list.allergies.map((a) => a.id)).toEqual(['peanut', 'egg', 'old']);
    expect(list.allergies[0]).toMatchObject({
      substance: { kind: 'text', text: 'Peanut' },
      severity: 'severe',
      criticality: 'high',
      categories: ['food'],
      reactions: [
        { manifestations: [{ kind: 'text', text: 'Hives' }, { kind: 'text', text: 'Wheezing' }], severity: 'moderate' },
        { manifestations: [{ kind: 'text', text: 'Anaphylaxis' }], severity: 'severe' },
      ],
    });
    expect(list.noKnownAllergies).toEqual([]);
  });

  it('shows "no known allergies" statements as such, by SNOMED code', () => {
    const list = mapAllergies([
      allergy('nka', { code: sct('716186003', 'No known allergy') }),
      allergy('nkda', { code: sct('409137002', 'No known drug allergy'), recordedDate: '2026-01-05' }),
      allergy('nkfa', { code: { coding: [{ code: '429625007' }] } }),
      allergy('nkea', { code: sct('428607008', 'No known environmental allergy') }),
      // Same code in another system is not the SNOMED statement.
      allergy('other', { code: { coding: [{ system: 'urn:local', code: '716186003', display: 'Local 716186003' }] } }),
    ]);
    expect(list.noKnownAllergies.map((n) => [n.id, n.kind])).toEqual([
      ['nka', 'allergy'],
      ['nkda', 'drug-allergy'],
      ['nkfa', 'food-allergy'],
      ['nkea', 'environmental-allergy'],
    ]);
    expect(list.noKnownAllergies[1]?.recordedDate).toEqual({ iso: '2026-01-05', precision: 'day' });
    expect(list.allergies.map((a) => a.id)).toEqual(['other']);
  });

  it('leaves out entered-in-error and refuted records and survives hostile ones', () => {
    const list = mapAllergies([
      allergy('err', { code: { text: 'Latex' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } }),
      allergy('refuted', { code: { text: 'Penicillin' }, verificationStatus: { coding: [{ code: 'refuted' }] } }),
      { resourceType: 'AllergyIntolerance', code: [], reaction: [{ manifestation: 'rash', severity: 'deadly' }, null], category: 'food', criticality: 9 } as unknown as AllergyIntolerance,
    ]);
    expect(list.allergies).toEqual([
      { key: 'AllergyIntolerance#2', substance: { kind: 'unknown' }, codes: [], categories: [], reactions: [], notes: [] },
    ]);
  });
});
