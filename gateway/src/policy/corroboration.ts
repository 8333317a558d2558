/**
 * Dual-use findings and what corroborates them. A dual-use code (terminology README, "Dual-use codes") is routinely
 * used outside confidential care: it hides only when something corroborates it — a non-dual finding in the same
 * classification (a label, a confidential-care code, a linked sensitive encounter, reason or order), a positive result
 * of the test itself, or (decided in resource.ts) the patient's age where the category has a minimum age. A medicine's
 * own code or ingredient is never corroborated by age alone: psychotropic drugs for a minor still need a parent
 * (Family Code 6924(f)), so a prescription is confidential only in a confidential context.
 */
import type { Resource } from 'fhir/r4';
import { SENSITIVITY_CATEGORIES } from './categories.ts';
import type { CategoryFinding } from './classify.ts';
import { isRecord, stringsAt, valuesAt } from './fhir-json.ts';

export function dualFinding(finding: CategoryFinding, dualUse: string | undefined, medicine: boolean): CategoryFinding {
  if (dualUse === undefined) return finding;
  return { ...finding, dualUse, ageAlone: !medicine && SENSITIVITY_CATEGORIES[finding.category].minimumAge > 0 };
}

/** Result values and interpretations that mean "positive": a dual-use test that came back positive is not routine. */
const POSITIVE_CODES = new Set(['10828004', '260373001', '52101004', 'POS', 'DET', 'A', 'AA', 'H', 'HH']);
const POSITIVE_TEXT = /\b(positive|detected|reactive|present)\b/i;
const NEGATIVE_TEXT = /\b(negative|not detected|non-?reactive|absent|not present)\b/i;

export function positiveResult(resource: Resource): boolean {
  if (resource.resourceType !== 'Observation') return false;
  const codes = [...valuesAt(resource, 'valueCodeableConcept.coding'), ...valuesAt(resource, 'interpretation.coding')];
  if (codes.some((c) => isRecord(c) && typeof c.code === 'string' && POSITIVE_CODES.has(c.code))) return true;
  const texts = [...stringsAt(resource, 'valueString'), ...stringsAt(resource, 'valueCodeableConcept.text'), ...stringsAt(resource, 'valueCodeableConcept.coding.display')];
  return texts.some((t) => POSITIVE_TEXT.test(t) && !NEGATIVE_TEXT.test(t));
}

/**
 * Dual-use findings become ordinary findings when something in the same classification corroborates them: a non-dual
 * finding (a label, a confidential-care code, a linked sensitive encounter or reason) or a positive result.
 */
export function corroborate(findings: CategoryFinding[], resource: Resource): CategoryFinding[] {
  if (!findings.some((f) => f.dualUse !== undefined)) return findings;
  const nonDual = findings.find((f) => f.dualUse === undefined);
  // The result is read only when a dual-use finding waits for it (most resources have none).
  if (nonDual === undefined && !positiveResult(resource)) return findings;
  const why = nonDual ? `corroborated by ${nonDual.detail.length > 80 ? `${nonDual.detail.slice(0, 77)}…` : nonDual.detail}` : 'corroborated by a positive result';
  return findings.map((f) => (f.dualUse === undefined ? f : { category: f.category, source: f.source, detail: `${f.detail} [dual-use: ${f.dualUse}; ${why}]`, ...(f.from ? { from: f.from } : {}), dates: f.dates }));
}

