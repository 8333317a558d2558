/**
 * Growth Observations (weight, height, length, head circumference, BMI by LOINC; table in codes.ts) → series in
 * canonical units (kg, cm, kg/m2) for charts against CDC/WHO references. Values in units we cannot convert are left
 * out rather than plotted on the wrong scale.
 */
import type { Observation } from 'fhir/r4';
import { GROWTH_CANONICAL_UNIT, GROWTH_LOINC, LOINC_SYSTEM, UNIT_FACTORS } from './codes.ts';
import { codingsOf, quantityValue } from './display.ts';
import { indexResources, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { observationTime } from './observations.ts';
import { byTimeAsc, dateValue, record, sortTime } from './safe.ts';
import { GROWTH_MEASURES, type DateValue, type GrowthMeasure, type GrowthPoint, type GrowthSeries, type GrowthData } from './view-models.ts';

export function growthMeasureOf(observation: Observation): GrowthMeasure | undefined {
  for (const c of codingsOf(record(observation.code))) {
    if (c.system !== LOINC_SYSTEM) continue;
    const measure = GROWTH_LOINC[c.code];
    if (measure !== undefined) return measure;
  }
  return undefined;
}

/** Whole days between two calendar dates (date parts as written); undefined when either is not a full date. */
function daysBetween(birth: DateValue | undefined, at: DateValue): number | undefined {
  if (birth === undefined || birth.precision === 'year' || birth.precision === 'month' || at.precision === 'year' || at.precision === 'month') return undefined;
  const days = (Date.parse(at.iso.slice(0, 10)) - Date.parse(birth.iso.slice(0, 10))) / 86_400_000;
  return Number.isFinite(days) && days >= 0 ? Math.round(days) : undefined;
}

/**
 * Growth series for the input; `birthDate` (else the first Patient's) gives each point its age in days.
 * Entered-in-error and cancelled Observations are left out.
 */
export function mapGrowth(input: MapperInput | ResourceIndex, birthDate?: string): GrowthData {
  const index = indexResources(input);
  const birth = dateValue(birthDate ?? resourcesOfType(index, 'Patient')[0]?.birthDate);
  const byMeasure = new Map<GrowthMeasure, GrowthPoint[]>();
  for (const observation of resourcesOfType(index, 'Observation')) {
    if (observation.status === 'entered-in-error' || observation.status === 'cancelled') continue;
    const measure = growthMeasureOf(observation);
    if (measure === undefined) continue;
    const recorded = quantityValue(record(observation.valueQuantity));
    const time = observationTime(observation);
    if (recorded === undefined || time === undefined) continue;
    const unit = GROWTH_CANONICAL_UNIT[measure];
    const factor = UNIT_FACTORS[unit][recorded.ucum ?? recorded.unit ?? ''] ?? UNIT_FACTORS[unit][recorded.unit ?? ''];
    if (factor === undefined || recorded.value <= 0) continue;
    const value = round(recorded.value * factor);
    if (!Number.isFinite(value)) continue;
    const ageDays = daysBetween(birth, time);
    const point: GrowthPoint = { time, value, unit, recorded, ...(ageDays !== undefined && { ageDays }) };
    const list = byMeasure.get(measure);
    if (list === undefined) byMeasure.set(measure, [point]);
    else list.push(point);
  }
  const series: GrowthSeries[] = [];
  for (const measure of GROWTH_MEASURES) {
    const points = byMeasure.get(measure);
    if (points === undefined) continue;
    points.sort((a, b) => byTimeAsc(sortTime(a.time), sortTime(b.time)));
    series.push({ key: `growth:${measure}`, measure, unit: GROWTH_CANONICAL_UNIT[measure], points });
  }
  return { series };
}

/** Four decimals: enough for grams and millimetres, without float noise such as 3.5000000000000004. */
function round(value: number): number {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Number.isFinite(rounded) ? rounded : value;
}
