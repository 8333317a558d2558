/**
 * Growth series for the summary's charts: each measure drawn with the same accessible chart as lab trends, each
 * point with its percentile on the CDC 2000 charts (2–20 years: weight, height, BMI) and the 5th, 50th and 95th
 * percentile curves behind it — when the chart applies (sex known, age 2–20, full birth date); otherwise the plain
 * measurements, never a percentile from another chart.
 */
import { growthPercentile, percentileCurves, type AdministrativeGender, type GrowthData, type TrendSeries } from '../../../fhir-mappings/src/index.ts';
import { growthMeasureText } from './record-status-labels.ts';

const DAY_MS = 86_400_000;

function dateAfterBirth(birthDate: string, days: number): string | undefined {
  const birth = Date.parse(birthDate.slice(0, 10));
  if (!/^\d{4}-\d{2}-\d{2}/.test(birthDate) || !Number.isFinite(birth)) return undefined;
  return new Date(birth + days * DAY_MS).toISOString().slice(0, 10);
}

export function growthTrends(growth: GrowthData, sex?: AdministrativeGender, birthDate?: string): TrendSeries[] {
  return growth.series
    .filter((series) => series.points.length > 1)
    .map((series) => {
      const points = series.points.map((point) => {
        const percentile = growthPercentile(series.measure, sex, point.ageDays, point.value);
        return { time: point.time, value: point.value, unit: point.unit, ...(percentile !== undefined && { percentile }) };
      });
      const ages = series.points.map((point) => point.ageDays).filter((days): days is number => days !== undefined);
      const curves =
        birthDate === undefined || ages.length === 0
          ? []
          : percentileCurves(series.measure, sex, Math.min(...ages), Math.max(...ages)).map((curve) => ({
              percentile: curve.percentile,
              points: curve.points.flatMap(([days, value]) => {
                const at = dateAfterBirth(birthDate, days);
                return at === undefined ? [] : [{ at, value }];
              }),
            }))
              .filter((curve) => curve.points.length > 1);
      return {
        key: series.key,
        loinc: series.measure,
        label: { kind: 'text', text: growthMeasureText(series.measure) },
        unit: series.unit,
        points,
        ...(curves.length > 0 && { curves }),
      } satisfies TrendSeries;
    });
}
