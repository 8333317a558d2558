import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, growthPercentile, normalCdf, percentileCurves, zForPercentile } from '../../../fhir-mappings/src/index.ts';

/** The CDC CSVs with their published percentile columns, from the shared reference folder (never copied here). */
const GROWTH = resolve(import.meta.dirname, '../../../../shared/fixtures/reference/growth');
function rows(file: string): Array<Record<string, number>> {
  const [header, ...lines] = readFileSync(resolve(GROWTH, file), 'utf8').trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i] ?? '', Number(cell)])));
}

describe('growth percentiles (CDC 2000, 2–20 years)', () => {
  it.each([
    ['weight', 'cdc-weight-for-age-2-20y.csv'],
    ['height', 'cdc-stature-for-age-2-20y.csv'],
    ['bmi', 'cdc-bmi-for-age-2-20y.csv'],
  ] as const)('%s: the CDC’s own P5, P50 and P95 values read back as the 5th, 50th and 95th percentiles', (measure, file) => {
    const table = rows(file);
    // Every 20th row of both sexes, so the check spans the whole age range.
    for (const row of table.filter((_, i) => i % 20 === 0)) {
      const sex = row['Sex'] === 1 ? 'male' : 'female';
      const days = (row['Agemos'] ?? 0) * DAYS_PER_MONTH;
      for (const p of [5, 50, 95] as const) {
        expect(growthPercentile(measure, sex, days, row[`P${p}`] ?? 0), `${sex} ${row['Agemos']} mo P${p}`).toBeCloseTo(p, 0);
      }
    }
  });

  it('applies only where a CDC 2–20 y chart does: no percentile for infants, head size, unknown sex or adults', () => {
    expect(growthPercentile('weight', 'female', 300, 9)).toBeUndefined();
    expect(growthPercentile('head-circumference', 'male', 1000, 49)).toBeUndefined();
    expect(growthPercentile('weight', 'unknown', 3000, 25)).toBeUndefined();
    expect(growthPercentile('weight', undefined, 3000, 25)).toBeUndefined();
    expect(growthPercentile('height', 'male', 241 * DAYS_PER_MONTH, 180)).toBeUndefined();
    expect(growthPercentile('weight', 'male', 3000, -1)).toBeUndefined();
    expect(growthPercentile('weight', 'male', 3000, Number.NaN)).toBeUndefined();
  });

  it('normal CDF and its inverse agree', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    for (const p of [3, 5, 50, 85, 95, 97]) expect(normalCdf(zForPercentile(p)) * 100).toBeCloseTo(p, 4);
  });

  it('curves run through the CDC’s published percentile values', () => {
    const table = rows('cdc-stature-for-age-2-20y.csv').filter((row) => row['Sex'] === 2);
    const at120 = table.find((row) => row['Agemos'] === 120.5);
    const days = 120.5 * DAYS_PER_MONTH;
    const [p5, p50, p95] = percentileCurves('height', 'female', days, days);
    expect(p5?.points[0]?.[1]).toBeCloseTo(at120?.['P5'] ?? 0, 1);
    expect(p50?.points[0]?.[1]).toBeCloseTo(at120?.['P50'] ?? 0, 1);
    expect(p95?.points[0]?.[1]).toBeCloseTo(at120?.['P95'] ?? 0, 1);
    expect(percentileCurves('weight', 'male', 0, 600)).toEqual([]);
  });
});
