/**
 * Whom a person may write to about a patient: the clinicians of the patient's care team (active CareTeam
 * participants) and of their recent visits (Encounter participants) — only from records this person may see, so a
 * clinician known only from confidential care never appears. A guardian who keeps messaging without record access
 * (features only) gets the care teams that carry no sensitive classification at all. Never a free-typed address.
 */
import type { Bundle, CareTeam, Encounter, Resource } from 'fhir/r4';
import type { PatientAccess } from '../access/load-access.ts';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import { classifyResource, valueSetForProfile, type HospitalProfile } from '../policy/index.ts';
import type { PartyView } from './message-fhir.ts';
import type { PartyDirectory } from './parties.ts';

const RECENT_ENCOUNTERS = 20;

async function search<T extends Resource>(upstream: FhirUpstream, query: string): Promise<T[]> {
  const result = await upstream.getJson(query);
  if (!result.ok || result.resource.resourceType !== 'Bundle') return [];
  return ((result.resource as Bundle).entry ?? []).map((e) => e.resource).filter((r): r is T => r !== undefined && r.resourceType !== 'OperationOutcome') as T[];
}

const CLINICIAN = /^(Practitioner|PractitionerRole)\/[A-Za-z0-9.-]{1,64}$/;

export async function loadCareTeam(deps: {
  readonly upstream: FhirUpstream;
  readonly policy: RequestPolicy;
  readonly profile: HospitalProfile;
  readonly parties: PartyDirectory;
  readonly access: PatientAccess;
}): Promise<PartyView[]> {
  const { upstream, policy, access } = deps;
  const patientId = access.decision.patient.slice('Patient/'.length);
  const [teams, encounters] = await Promise.all([
    search<CareTeam>(upstream, `CareTeam?subject=Patient/${encodeURIComponent(patientId)}&status=active&_count=50`),
    search<Encounter>(upstream, `Encounter?subject=Patient/${encodeURIComponent(patientId)}&_sort=-date&_count=${RECENT_ENCOUNTERS}`),
  ]);
  const featuresOnly = access.decision.level === 'none';
  const references: string[] = [];
  for (const team of teams) {
    const visible = featuresOnly
      ? classifyResource(team, () => undefined, valueSetForProfile(deps.profile)).categories.length === 0
      : (await policy.judge(team)).show;
    if (!visible) continue;
    for (const participant of team.participant ?? []) {
      const member = participant.member?.reference;
      if (member !== undefined && CLINICIAN.test(member)) references.push(member);
    }
  }
  if (!featuresOnly) {
    for (const encounter of encounters) {
      if (!(await policy.judge(encounter)).show) continue;
      for (const participant of encounter.participant ?? []) {
        const individual = participant.individual?.reference;
        if (individual !== undefined && CLINICIAN.test(individual)) references.push(individual);
      }
    }
  }
  const unique = [...new Set(references)];
  const views = await Promise.all(unique.map((reference) => deps.parties.party(reference)));
  return views.sort((a, b) => a.name.localeCompare(b.name));
}
