/**
 * Names and roles of the people in messages and in the recipient picker: read through the request's policy cache
 * (one upstream read per reference per request), with the practitioner's role from PractitionerRole
 * ("Dr. Priya Shah, Pediatrics").
 */
import type { Bundle, Patient, Person, Practitioner, PractitionerRole, RelatedPerson, Resource } from 'fhir/r4';
import { formatHumanName, preferredName } from '../../../fhir-mappings/src/index.ts';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { PartyView } from './message-fhir.ts';

export interface PartyDirectory {
  party(reference: string): Promise<PartyView>;
}

const NAMED_TYPES = new Set(['Practitioner', 'RelatedPerson', 'Patient', 'Person']);

function nameOf(resource: Resource | undefined): string | undefined {
  if (resource === undefined || !NAMED_TYPES.has(resource.resourceType)) return undefined;
  const named = resource as Practitioner | RelatedPerson | Patient | Person;
  const name = formatHumanName(preferredName(named.name));
  if (name === undefined) return undefined;
  if (resource.resourceType !== 'Practitioner') return name;
  const prefix = preferredName(named.name)?.prefix?.[0];
  return prefix !== undefined && !name.startsWith(prefix) ? `${prefix} ${name}` : name;
}

function roleText(role: PractitionerRole): string | undefined {
  return role.specialty?.[0]?.text ?? role.specialty?.[0]?.coding?.[0]?.display ?? role.code?.[0]?.text ?? role.code?.[0]?.coding?.[0]?.display;
}

export function createPartyDirectory(upstream: FhirUpstream, policy: RequestPolicy): PartyDirectory {
  const roles = new Map<string, Promise<string | undefined>>();
  const parties = new Map<string, Promise<PartyView>>();

  function roleOf(practitioner: string): Promise<string | undefined> {
    let cached = roles.get(practitioner);
    if (cached === undefined) {
      cached = upstream.getJson(`PractitionerRole?practitioner=${encodeURIComponent(practitioner)}&_count=5`).then((result) => {
        if (!result.ok || result.resource.resourceType !== 'Bundle') return undefined;
        const found = ((result.resource as Bundle).entry ?? []).map((e) => e.resource).filter((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && (r as PractitionerRole).active !== false);
        return found.map(roleText).find((t) => t !== undefined);
      });
      roles.set(practitioner, cached);
    }
    return cached;
  }

  return {
    party(reference) {
      let cached = parties.get(reference);
      if (cached === undefined) {
        cached = (async () => {
          const type = reference.split('/')[0] ?? '';
          if (type === 'PractitionerRole') {
            const role = (await policy.fetchReference(reference)) as PractitionerRole | undefined;
            const practitioner = role?.practitioner?.reference;
            const name = practitioner === undefined ? undefined : nameOf(await policy.fetchReference(practitioner));
            const text = role === undefined ? undefined : roleText(role);
            return { reference, name: name ?? 'Care team', ...(text === undefined ? {} : { role: text }) };
          }
          const name = nameOf(await policy.fetchReference(reference));
          const role = type === 'Practitioner' ? await roleOf(reference) : undefined;
          return { reference, name: name ?? 'Care team', ...(role === undefined ? {} : { role }) };
        })();
        parties.set(reference, cached);
      }
      return cached;
    },
  };
}
