import type { Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapGrowth } from '../../../fhir-mappings/src/index.ts';

const vital = (id: string, loinc: string, when: string, value: number, unit: string, code = unit): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  effectiveDateTime: when,
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code },
});

describe('mapGrowth', () => {
  it('builds series in canonical units with age in days, oldest first, in measure order', () => {
    const growth = mapGrowth([
      { resourceType: 'Patient', id: 'p', birthDate: '2026-01-01' },
      vital('w2', '29463-7', '2026-03-01', 5200, 'g'),
      vital('w1', '29463-7', '2026-01-02', 7.5, 'lb', '[lb_av]'),
      vital('l1', '8306-3', '2026-01-02', 50, 'cm'),
      vital('hc', '8287-5', '2026-01-02', 14, 'in', '[in_i]'),
      vital('hc2', '9843-4', '2026-03-01', 38.2, 'cm'),
      vital('bmi', '39156-5', '2026-03-01', 16.1, 'kg/m2'),
      vital('odd', '29463-7', '2026-03-02', 12, 'stone', 'stone'),
      vital('hr', '8867-4', '2026-03-01', 140, '/min'),
    ]);
    expect(growth.series.map((s) => [s.measure, s.unit, s.points.map((p) => [p.value, p.ageDays])])).toEqual([
      ['weight', 'kg', [[3.4019, 1], [5.2, 59]]],
      ['length', 'cm', [[50, 1]]],
      ['head-circumference', 'cm', [[35.56, 1], [38.2, 59]]],
      ['bmi', 'kg/m2', [[16.1, 59]]],
    ]);
    expect(growth.series[0]?.points[0]?.recorded).toEqual({ value: 7.5, unit: 'lb', ucum: '[lb_av]' });
  });

  it('accepts an explicit birth date, and survives hostile observations', () => {
    const growth = mapGrowth(
      [
        vital('w', '29463-7', '2026-02-01', 4, 'kg'),
        { resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, valueQuantity: { value: '4' }, effectiveDateTime: '2026-02-01' } as unknown as Observation,
        { resourceType: 'Observation', code: 'weight', valueQuantity: 4 } as unknown as Observation,
      ],
      '2026-01-01',
    );
    expect(growth.series).toEqual([
      { key: 'growth:weight', measure: 'weight', unit: 'kg', points: [{ time: { iso: '2026-02-01', precision: 'day' }, value: 4, unit: 'kg', recorded: { value: 4, unit: 'kg', ucum: 'kg' }, ageDays: 31 }] },
    ]);
    expect(mapGrowth(undefined)).toEqual({ series: [] });
    // Found by the property test: a huge value must not become Infinity through unit conversion or rounding.
    const huge = mapGrowth([vital('big', '29463-7', '2026-02-01', 1e308, 'kg')]).series[0]?.points[0]?.value;
    expect(Number.isFinite(huge)).toBe(true);
  });
});
