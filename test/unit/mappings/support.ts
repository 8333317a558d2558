/** Shared by the corpus and property tests: run every mapper, and walk an output for anything not fit for a screen. */
import {
  indexResources,
  mapAllergies,
  mapAppointments,
  mapDocuments,
  mapGrowth,
  mapHealthIssues,
  mapImmunizations,
  mapMedications,
  mapOtherReports,
  mapPatientBanner,
  mapTestResults,
  mapVisits,
  type MapperInput,
} from '../../../fhir-mappings/src/index.ts';

export const AS_OF = '2026-11-22T17:00:00Z';
export const TIME_ZONE = 'America/Los_Angeles';

/** Run every mapper once over the input (indexed once, as the app does for a multi-view page). */
export function mapEverything(input: MapperInput) {
  const index = indexResources(input);
  const banner = mapPatientBanner(index, AS_OF, TIME_ZONE);
  return {
    ...(banner !== undefined && { banner }),
    issues: mapHealthIssues(index),
    allergies: mapAllergies(index),
    medications: mapMedications(index),
    immunizations: mapImmunizations(index),
    results: mapTestResults(index),
    otherReports: mapOtherReports(index),
    visits: mapVisits(index),
    documents: mapDocuments(index),
    appointments: mapAppointments(index, AS_OF),
    growth: mapGrowth(index),
  };
}

const FORBIDDEN = ['undefined', '[object Object]', 'NaN'];

/** Problems found walking the output; [] when sane. Initials may be '' (generic avatar) by contract. */
export function insanities(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') {
    const problems: string[] = [];
    if (value.trim() === '' && !path.endsWith('.initials')) problems.push(`${path}: empty string`);
    for (const bad of FORBIDDEN) if (value.includes(bad)) problems.push(`${path}: contains ${bad}: ${value.slice(0, 80)}`);
    return problems;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}: non-finite number`];
  if (value === null) return [`${path}: null`];
  if (value === undefined) return [`${path}: explicit undefined`];
  if (typeof value === 'boolean') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => insanities(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return [`${path}: not a plain object`];
    const problems: string[] = [];
    const record = value as Record<string, unknown>;
    if (record.kind === 'text' && (typeof record.text !== 'string' || record.text.trim() === '')) problems.push(`${path}: empty label`);
    for (const [k, v] of Object.entries(record)) problems.push(...insanities(v, `${path}.${k}`));
    return problems;
  }
  return [`${path}: unexpected ${typeof value}`];
}

