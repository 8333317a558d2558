/**
 * Plain-language result context: what the test measures (reviewed table), where the value sits against its range,
 * and how it compares with the child's previous value of the same test — English and Spanish, and nothing said when
 * nothing honest can be (no range in the same unit, a "<" value, no earlier value in the same unit).
 */
import type { Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapObservation, resultContext, testMeasures } from '../../../fhir-mappings/src/index.ts';

const UCUM = 'http://unitsofmeasure.org';
const hgb = (id: string, when: string, value: number, extra: Partial<Observation> = {}) =>
  mapObservation({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '718-7' }], text: 'Hemoglobin' },
    effectiveDateTime: when,
    valueQuantity: { value, unit: 'g/dL', system: UCUM, code: 'g/dL' },
    referenceRange: [{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' } }],
    ...extra,
  });

describe('resultContext', () => {
  const older = hgb('h1', '2025-09-01', 10.9);
  const latest = hgb('h2', '2026-02-01', 12.4);

  it('says what the test measures, where the value sits in its range, and how it compares with the last one', () => {
    const context = resultContext(latest, [older, latest], 'en');
    expect(context?.measures).toMatch(/^Hemoglobin carries oxygen/);
    expect(context).toMatchObject({ range: 'within', trend: 'higher', previous: { value: 10.9, date: '2025-09-01' } });
    expect(context?.rangeSentence).toBe('This value is within the usual range (11.5–15.5).');
    expect(context?.trendSentence).toBe('It is higher than the previous value (10.9).');
  });

  it('speaks Spanish with Spanish numbers', () => {
    const context = resultContext(latest, [older], 'es');
    expect(context?.measures).toMatch(/^La hemoglobina lleva el oxígeno/);
    expect(context?.rangeSentence).toBe('Este valor está dentro del rango habitual (11,5–15,5).');
    expect(context?.trendSentence).toBe('Es más alto que el valor anterior (10,9).');
  });

  it('below and above the range; lower and the same as before; the nearest earlier value only', () => {
    const low = resultContext(older, [latest, older], 'en');
    expect(low).toMatchObject({ range: 'below' });
    expect(low?.trend).toBeUndefined(); // nothing earlier than the oldest value
    const high = hgb('h3', '2026-03-01', 16.2);
    expect(resultContext(high, [older, latest, high], 'en')).toMatchObject({ range: 'above', trend: 'higher', previous: { value: 12.4 } });
    const dip = hgb('h4', '2026-04-01', 12.4);
    expect(resultContext(dip, [older, latest, dip], 'en')?.trend).toBe('same');
    expect(resultContext(hgb('h5', '2026-05-01', 11.6), [latest, dip], 'en')?.trendSentence).toBe('It is lower than the previous value (12.4).');
  });

  it('says nothing it cannot stand behind', () => {
    // A "<" value is compared with nothing.
    const lessThan = hgb('c', '2026-02-01', 5, { valueQuantity: { value: 5, comparator: '<', unit: 'g/dL', system: UCUM, code: 'g/dL' } });
    expect(resultContext(lessThan, [older], 'en')).toEqual({ measures: testMeasures('718-7', 'en') });
    // A range in another unit is not compared with.
    const otherUnit = hgb('u', '2026-02-01', 124, {
      valueQuantity: { value: 124, unit: 'g/L', system: UCUM, code: 'g/L' },
      referenceRange: [{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' } }],
    });
    const context = resultContext(otherUnit, [older], 'en');
    expect(context?.range).toBeUndefined();
    expect(context?.trend).toBeUndefined(); // the earlier value is in g/dL
    // An unknown test with no range and no history: nothing at all.
    const unknown = mapObservation({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '99999-9' }] },
      valueString: 'see note',
    });
    expect(resultContext(unknown, [], 'en')).toBeUndefined();
  });

  it('a range bound without a unit is read in the result unit; a population-specific range is not used', () => {
    const bare = hgb('b', '2026-02-01', 16, { referenceRange: [{ high: { value: 15.5 } }] });
    expect(resultContext(bare, [], 'en')?.rangeSentence).toBe('This value is above the usual range (up to 15.5).');
    const forOthers = hgb('p', '2026-02-01', 16, {
      referenceRange: [{ high: { value: 15.5, unit: 'g/dL' }, appliesTo: [{ text: 'Adult women' }] }],
    });
    expect(resultContext(forOthers, [], 'en')?.range).toBeUndefined();
  });

  it('every table line exists in both languages', () => {
    for (const code of ['718-7', '6690-2', '4548-4', '3016-3', '5671-3', '2085-9']) {
      expect(testMeasures(code, 'en')).toMatch(/\.$/);
      expect(testMeasures(code, 'es')).toMatch(/\.$/);
      expect(testMeasures(code, 'es')).not.toBe(testMeasures(code, 'en'));
    }
  });
});
