/**
 * Growth percentiles from LMS reference tables (CDC 2000, 2–20 years; growth-reference-cdc.ts). Pure arithmetic:
 *
 * - z = ((X/M)^L − 1) / (L·S), or ln(X/M)/S when L = 0; X at a given z = M·(1 + L·S·z)^(1/L), or M·e^(S·z).
 * - L, M, S at an age between two table rows are interpolated linearly (the CDC's own guidance for its tables).
 * - percentile = Φ(z) × 100 (standard normal CDF).
 *
 * Only weight, stature (height) and BMI from 24 to 240 months, with sex male or female, get a percentile; anything
 * else (infants, head circumference, unknown sex, ages past 20) gets undefined — never a guess from another chart.
 */
import { CDC_BMI_FOR_AGE, CDC_STATURE_FOR_AGE, CDC_WEIGHT_FOR_AGE, type LmsRow, type LmsTableBySex } from './growth-reference-cdc.ts';
import type { AdministrativeGender, GrowthMeasure } from './view-models.ts';

export interface Lms {
  readonly L: number;
  readonly M: number;
  readonly S: number;
}

/** Days per month in the CDC charts' age scale (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

const TABLES: Partial<Record<GrowthMeasure, LmsTableBySex>> = {
  weight: CDC_WEIGHT_FOR_AGE,
  height: CDC_STATURE_FOR_AGE,
  bmi: CDC_BMI_FOR_AGE,
};

/** L, M, S at `ageMonths`, interpolated between the table's rows; undefined outside the table. */
export function lmsAt(rows: readonly LmsRow[], ageMonths: number): Lms | undefined {
  if (!Number.isFinite(ageMonths) || rows.length === 0) return undefined;
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined || ageMonths < first[0] || ageMonths > last[0]) return undefined;
  let low = 0;
  let high = rows.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if ((rows[mid] as LmsRow)[0] <= ageMonths) low = mid;
    else high = mid;
  }
  const a = rows[low] as LmsRow;
  const b = rows[high] as LmsRow;
  const t = b[0] === a[0] ? 0 : (ageMonths - a[0]) / (b[0] - a[0]);
  const mix = (i: 1 | 2 | 3): number => a[i] + (b[i] - a[i]) * t;
  return { L: mix(1), M: mix(2), S: mix(3) };
}

export function zScore(value: number, { L, M, S }: Lms): number | undefined {
  if (!(value > 0) || !(M > 0) || !(S > 0)) return undefined;
  const z = Math.abs(L) < 1e-9 ? Math.log(value / M) / S : ((value / M) ** L - 1) / (L * S);
  return Number.isFinite(z) ? z : undefined;
}

export function valueAtZ(z: number, { L, M, S }: Lms): number | undefined {
  const value = Math.abs(L) < 1e-9 ? M * Math.exp(S * z) : M * (1 + L * S * z) ** (1 / L);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The inverse of normalCdf by bisection (for drawing percentile curves); p in (0, 1). */
export function zForPercentile(percentile: number): number {
  const p = percentile / 100;
  let low = -8;
  let high = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (normalCdf(mid) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function tableFor(measure: GrowthMeasure, sex: AdministrativeGender | undefined): readonly LmsRow[] | undefined {
  const table = TABLES[measure];
  if (table === undefined) return undefined;
  if (sex === 'male') return table[1];
  if (sex === 'female') return table[2];
  return undefined;
}

/**
 * The CDC percentile (0–100, one decimal) of a measurement, or undefined when no CDC 2–20 y chart applies. Values in
 * the canonical unit of the measure (kg, cm, kg/m²).
 */
export function growthPercentile(measure: GrowthMeasure, sex: AdministrativeGender | undefined, ageDays: number | undefined, value: number): number | undefined {
  const rows = tableFor(measure, sex);
  if (rows === undefined || ageDays === undefined) return undefined;
  const lms = lmsAt(rows, ageDays / DAYS_PER_MONTH);
  if (lms === undefined) return undefined;
  const z = zScore(value, lms);
  if (z === undefined) return undefined;
  return Math.round(normalCdf(z) * 1000) / 10;
}

export interface PercentileCurve {
  readonly percentile: number;
  /** [age in days, value] pairs, ascending by age. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/**
 * Reference curves for a chart spanning `fromDays`–`toDays` (clipped to the chart's ages), sampled every
 * `stepDays`, for each requested percentile. Empty when no CDC 2–20 y chart applies.
 */
export function percentileCurves(
  measure: GrowthMeasure,
  sex: AdministrativeGender | undefined,
  fromDays: number,
  toDays: number,
  percentiles: readonly number[] = [5, 50, 95],
  stepDays = 30,
): PercentileCurve[] {
  const rows = tableFor(measure, sex);
  const first = rows?.[0];
  const last = rows?.[rows.length - 1];
  if (rows === undefined || first === undefined || last === undefined || !(toDays >= fromDays)) return [];
  const start = Math.max(fromDays, Math.ceil(first[0] * DAYS_PER_MONTH));
  const end = Math.min(toDays, Math.floor(last[0] * DAYS_PER_MONTH));
  if (end < start) return [];
  const ages: number[] = [];
  for (let day = start; day < end; day += Math.max(1, stepDays)) ages.push(day);
  ages.push(end);
  return percentiles.map((percentile) => {
    const z = zForPercentile(percentile);
    const points: Array<readonly [number, number]> = [];
    for (const day of ages) {
      const lms = lmsAt(rows, day / DAYS_PER_MONTH);
      const value = lms === undefined ? undefined : valueAtZ(z, lms);
      if (value !== undefined) points.push([day, Math.round(value * 100) / 100]);
    }
    return { percentile, points };
  });
}
