/**
 * Whether a medicine could be read at all: its own code is known (in a set, a local list or the reviewed exclusions),
 * its names name a known ingredient, or the Medication it references was read. "Unknown is not safe": an allow-list
 * view hides what cannot be read (resource.ts, profile setting unreadableMedication).
 */
import type { Resource } from 'fhir/r4';
import type { CategoryFinding, Classification, MedicationReading } from './classify.ts';
import { conceptTexts } from './fhir-json.ts';

export const MEDICATION_TYPES = new Set(['MedicationRequest', 'MedicationStatement', 'MedicationDispense', 'MedicationAdministration']);

/** Where a medicine's own codes and names live, per type. */
export function medicationConceptPaths(resourceType: string): readonly string[] {
  if (MEDICATION_TYPES.has(resourceType)) return ['medicationCodeableConcept'];
  if (resourceType === 'Medication') return ['code', 'ingredient.itemCodeableConcept'];
  return [];
}

export function medicationReadingOf(resource: Resource, medicineRead: string, findings: readonly CategoryFinding[]): MedicationReading {
  if (medicineRead) return { readable: true, detail: `read: ${medicineRead}` };
  const sensitive = findings.find((f) => f.source === 'value-set' && f.dualUse === undefined);
  if (sensitive) return { readable: true, detail: `read: ${sensitive.detail}` };
  const names = medicationConceptPaths(resource.resourceType).flatMap((path) => conceptTexts(resource, path));
  return {
    readable: false,
    detail:
      names.length === 0
        ? 'no code or name of its own in any set'
        : `code in no set, and "${names[0]?.slice(0, 60)}" names no known ingredient`,
  };
}

/**
 * A medicine is readable when its own code or names were read, or when the Medication it references (contained or
 * fetched) was. A medicationReference the shell could not resolve leaves it unreadable (fail closed).
 */
export function medicationOf(
  own: MedicationReading | undefined,
  referenced: Classification | undefined,
  reference: string | undefined,
  findings: readonly CategoryFinding[] | undefined,
): MedicationReading | undefined {
  if (own === undefined || own.readable) return own;
  if (referenced?.medication?.readable) return { readable: true, detail: `${referenced.medication.detail} (via medicationReference ${reference ?? ''})` };
  const sensitive = findings?.find((f) => f.dualUse === undefined && f.from === reference && reference !== undefined);
  if (sensitive) return { readable: true, detail: `read: ${sensitive.detail}` };
  if (reference !== undefined && referenced === undefined) return { readable: false, detail: `medicationReference ${reference} could not be read` };
  return referenced?.medication ? { readable: false, detail: `${own.detail}; ${referenced.medication.detail}` } : own;
}

