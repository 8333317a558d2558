/**
 * `_summary` and `_elements`, applied by the facade AFTER the policy decided on the full resource (the upstream is
 * never asked to trim: a trimmed resource could lose the security labels or codes the classifier needs).
 * Pure; returns a new object. Trimmed resources carry the SUBSETTED tag, as the FHIR spec asks.
 */
import type { Resource } from 'fhir/r4';
import summaryTable from './summary-elements.json' with { type: 'json' };

export type SummaryMode = 'true' | 'text' | 'data' | 'false';

export interface TrimOptions {
  readonly summary?: SummaryMode;
  /** Top-level element names (without the resource type prefix). */
  readonly elements?: readonly string[];
}

const SUMMARY: Readonly<Record<string, readonly string[]>> = summaryTable.summary;
const MANDATORY: Readonly<Record<string, readonly string[]>> = summaryTable.mandatory;
const ALWAYS_KEPT = ['resourceType', 'id', 'meta'];

export function needsTrim(options: TrimOptions): boolean {
  return (options.summary !== undefined && options.summary !== 'false') || (options.elements !== undefined && options.elements.length > 0);
}

export function trimResource<T extends Resource>(resource: T, options: TrimOptions): T {
  if (!needsTrim(options)) return resource;
  const type = resource.resourceType;
  let keep: (key: string) => boolean;
  if (options.summary === 'data') {
    keep = (key) => key !== 'text';
  } else if (options.summary === 'text') {
    const mandatory = MANDATORY[type] ?? [];
    keep = (key) => key === 'text' || ALWAYS_KEPT.includes(key) || matchesElement(key, mandatory);
  } else if (options.summary === 'true') {
    // Types outside the table keep only the always-kept elements: less, never more.
    const summary = SUMMARY[type] ?? [];
    keep = (key) => ALWAYS_KEPT.includes(key) || matchesElement(key, summary);
  } else {
    const wanted = options.elements ?? [];
    const mandatory = MANDATORY[type] ?? [];
    keep = (key) => ALWAYS_KEPT.includes(key) || matchesElement(key, wanted) || matchesElement(key, mandatory);
  }
  const trimmed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (keep(key)) trimmed[key] = value;
  }
  const meta = resource.meta ?? {};
  trimmed['meta'] = { ...meta, tag: [...(meta.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] };
  return trimmed as T;
}

/** "valueQuantity" matches "value[x]"; "_birthDate" (primitive extensions) follows "birthDate". */
function matchesElement(key: string, names: readonly string[]): boolean {
  const bare = key.startsWith('_') ? key.slice(1) : key;
  for (const name of names) {
    if (name === bare) return true;
    if (name.endsWith('[x]')) {
      const stem = name.slice(0, -3);
      if (bare.startsWith(stem) && bare.length > stem.length && /[A-Z]/.test(bare.charAt(stem.length))) return true;
    }
  }
  return false;
}
