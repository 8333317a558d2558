/**
 * The family-view preview (issue 14, class 8): for one patient, what each linked guardian and the patient themself
 * see online today, why (the policy core's own reason and legal basis — the clinician's words, the same lines the
 * `policy:explain` tool prints), and the dates on which that will change. Pure: the shell loads the patient, its
 * RelatedPersons and Consents and passes the instant; every viewer is decided by `decidePatientAccess` exactly as
 * their own sign-in would be (a RelatedPerson principal for each guardian, a Patient principal for the patient).
 *
 * For clinicians only (practitioner principals; the route checks): unlike the family's session view it names the
 * rule that applied, because the clinician needs it to answer the family's questions.
 */
import type { Consent, Patient, RelatedPerson } from 'fhir/r4';
import { formatHumanName, preferredName } from '../../../fhir-mappings/src/index.ts';
import { decidePatientAccess } from '../policy/access.ts';
import type { HospitalProfile } from '../policy/profile.ts';
import type { AccessFeatures, AccessLevel, PatientAccessDecision, Principal } from '../policy/types.ts';

/** One state of a viewer's access: today's, or one that starts on `localDate`. */
export interface PreviewAccessState {
  readonly level: AccessLevel;
  /** The key of the sentence the family reads (app/src/dashboard/access-messages.ts). */
  readonly messageKey: string;
  readonly features: AccessFeatures;
  /** The policy's machine reason ("guardian-teen-no-online-access") and rule, for the clinician. */
  readonly reason: string;
  readonly rule?: string;
  /** The legal basis lines, as the policy core states them. */
  readonly legalBasis: readonly string[];
}

export interface PreviewChange extends PreviewAccessState {
  /** The local calendar day (profile time zone) the change takes effect, YYYY-MM-DD. */
  readonly localDate: string;
}

export interface PreviewViewer {
  /** "RelatedPerson/<id>" for a guardian, "Patient/<id>" for the patient. */
  readonly reference: string;
  readonly kind: 'guardian' | 'patient';
  readonly name: string;
  /** The relationship as the EHR records it (RelatedPerson.relationship text/display), for guardians. */
  readonly relationship?: string;
  readonly role: PatientAccessDecision['role'];
  readonly today: PreviewAccessState;
  /** Future changes in date order (at most MAX_CHANGES). */
  readonly changes: readonly PreviewChange[];
}

export interface FamilyPreview {
  readonly patient: { readonly id: string; readonly name: string; readonly birthDate?: string; readonly gender?: string };
  /** The instant decided for, ISO 8601, and the profile that decided. */
  readonly asOf: string;
  readonly profile: { readonly id: string; readonly title: string; readonly timeZone: string };
  readonly viewers: readonly PreviewViewer[];
}

export interface FamilyPreviewFacts {
  readonly patient: Patient;
  readonly relatedPersons: readonly RelatedPerson[];
  readonly consents: readonly Consent[];
}

/** Future changes followed per viewer (12th and 18th birthdays, a grant's end …); enough for any profile we ship. */
export const MAX_CHANGES = 4;

function stateOf(decision: PatientAccessDecision): PreviewAccessState {
  return {
    level: decision.level,
    messageKey: decision.messageKey,
    features: decision.features,
    reason: decision.reason,
    ...(decision.rule === undefined ? {} : { rule: decision.rule }),
    legalBasis: decision.legalBasis,
  };
}

function principalFor(reference: string, kind: 'RelatedPerson' | 'Patient'): Principal {
  return { fhirUser: reference, reference, kind, scopes: [] };
}

/** Today's decision and each following one, stepping through `nextChange` (a decision is re-made at each date). */
function timeline(facts: FamilyPreviewFacts, principal: Principal, profile: HospitalProfile, asOf: Date) {
  const input = { principal, patient: facts.patient, relatedPersons: facts.relatedPersons, consents: facts.consents };
  const today = decidePatientAccess(input, profile, asOf);
  const changes: PreviewChange[] = [];
  let current = today;
  for (let step = 0; step < MAX_CHANGES && current.nextChange !== undefined; step += 1) {
    const next = current.nextChange;
    const at = new Date(next.at);
    if (!(at.getTime() > new Date(current.asOf).getTime())) break; // never loop on a change that is not ahead
    const decided = decidePatientAccess(input, profile, at);
    changes.push({ localDate: next.localDate, ...stateOf(decided) });
    current = decided;
  }
  return { today, changes };
}

function relationshipText(related: RelatedPerson): string | undefined {
  for (const concept of related.relationship ?? []) {
    const text = concept.text ?? concept.coding?.find((coding) => coding.display)?.display;
    if (text) return text;
  }
  return undefined;
}

export function familyPreview(facts: FamilyPreviewFacts, profile: HospitalProfile, asOf: Date): FamilyPreview {
  const patient = facts.patient;
  const patientId = patient.id ?? '';
  const viewers: PreviewViewer[] = [];
  const guardians = facts.relatedPersons.filter(
    (related) => related.id !== undefined && related.patient?.reference === `Patient/${patientId}`,
  );
  for (const related of guardians) {
    const reference = `RelatedPerson/${related.id}`;
    const { today, changes } = timeline(facts, principalFor(reference, 'RelatedPerson'), profile, asOf);
    const relationship = relationshipText(related);
    viewers.push({
      reference,
      kind: 'guardian',
      name: formatHumanName(preferredName(related.name)) ?? '',
      ...(relationship === undefined ? {} : { relationship }),
      role: today.role,
      today: stateOf(today),
      changes,
    });
  }
  const self = `Patient/${patientId}`;
  const own = timeline(facts, principalFor(self, 'Patient'), profile, asOf);
  viewers.push({
    reference: self,
    kind: 'patient',
    name: formatHumanName(preferredName(patient.name)) ?? '',
    role: own.today.role,
    today: stateOf(own.today),
    changes: own.changes,
  });
  return {
    patient: {
      id: patientId,
      name: formatHumanName(preferredName(patient.name)) ?? '',
      ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
      ...(patient.gender === undefined ? {} : { gender: patient.gender }),
    },
    asOf: asOf.toISOString(),
    profile: { id: profile.id, title: profile.title, timeZone: profile.timeZone },
    viewers,
  };
}
