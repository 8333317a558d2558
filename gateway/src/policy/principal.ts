/**
 * Which patients a signed-in person may be related to. The shell fetches each candidate (with its RelatedPersons and
 * Consents) and calls decidePatientAccess per patient; a candidate here grants nothing by itself.
 */
import type { Person, RelatedPerson, Resource } from 'fhir/r4';
import { toRelativeReference } from './fhir-json.ts';
import type { Principal } from './types.ts';

/**
 * "Patient/x" candidates for a principal:
 * - Patient → itself;
 * - RelatedPerson → its `patient`;
 * - Person → every `link.target` that is a Patient, and the `patient` of every linked RelatedPerson (from
 *   `linkedRelatedPersons`, which the shell fetched by the link targets);
 * - Practitioner → none (staff do not get a family list).
 * `principalResource` must be the principal's own resource (same type and id), else the answer is [] (fail closed).
 */
export function patientReferencesForPrincipal(
  principal: Principal,
  principalResource: Resource,
  linkedRelatedPersons: readonly RelatedPerson[],
): string[] {
  if (`${principalResource.resourceType}/${principalResource.id ?? ''}` !== principal.reference) return [];
  const out = new Set<string>();
  const add = (reference: string | undefined): void => {
    const relative = reference === undefined ? undefined : toRelativeReference(reference);
    if (relative?.startsWith('Patient/')) out.add(relative);
  };
  switch (principal.kind) {
    case 'Patient':
      add(principal.reference);
      break;
    case 'RelatedPerson':
      add((principalResource as RelatedPerson).patient?.reference);
      break;
    case 'Person': {
      const person = principalResource as Person;
      if (person.active === false) break;
      const linked = new Set<string>();
      for (const link of person.link ?? []) {
        const target = toRelativeReference(link.target.reference ?? '');
        if (target?.startsWith('Patient/')) add(target);
        if (target?.startsWith('RelatedPerson/')) linked.add(target);
      }
      for (const rp of linkedRelatedPersons) {
        if (linked.has(`RelatedPerson/${rp.id}`)) add(rp.patient?.reference);
      }
      break;
    }
    case 'Practitioner':
      break;
    default:
      break;
  }
  return [...out];
}
