/**
 * Plain-text explanation of a decision and its per-resource verdicts, for privacy officers and support staff (the
 * `policy:explain` script prints it). Pure: the caller loads the data and passes the instant.
 */
import type { Patient, Resource } from 'fhir/r4';
import { ageOnDate, formatDate, localDateOf, parseFhirDate } from './age.ts';
import { decidePatientAccess } from './access.ts';
import { classifyResource, careDatesOf } from './classify.ts';
import { conceptTexts, stringsAt } from './fhir-json.ts';
import type { HospitalProfile } from './profile.ts';
import { decideResource, viewForDecision } from './resource.ts';
import { valueSetForProfile } from './value-set.ts';
import type { PatientAccessDecision, PatientAccessFacts, ReferenceResolver, ResourceVerdict } from './types.ts';

export interface ExplainInput {
  readonly facts: PatientAccessFacts;
  readonly profile: HospitalProfile;
  readonly asOf: Date;
  /** The patient's resources to judge (the Patient itself included or not). */
  readonly resources: readonly Resource[];
  readonly resolve: ReferenceResolver;
}

export interface ExplainResult {
  readonly decision: PatientAccessDecision;
  readonly verdicts: readonly { readonly resource: Resource; readonly verdict: ResourceVerdict; readonly why: readonly string[] }[];
  readonly text: string;
}

function labelOf(resource: Resource): string {
  const texts = [
    ...conceptTexts(resource, 'code'),
    ...conceptTexts(resource, 'medicationCodeableConcept'),
    ...conceptTexts(resource, 'vaccineCode'),
    ...conceptTexts(resource, 'type'),
    ...conceptTexts(resource, 'serviceType'),
    ...stringsAt(resource, 'name.text'),
    ...stringsAt(resource, 'name'),
  ];
  const text = texts[0] ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function localTime(instant: Date, timeZone: string): string {
  return instant.toLocaleString('en-CA', { timeZone, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

export function explainAccess(input: ExplainInput): ExplainResult {
  const { facts, profile, asOf, resolve } = input;
  const decision = decidePatientAccess(facts, profile, asOf);
  const patient: Patient = facts.patient;
  const tz = profile.timeZone;
  const birth = parseFhirDate(patient.birthDate);
  const today = localDateOf(asOf, tz);
  const ageLine = birth
    ? `born ${patient.birthDate}; age ${ageOnDate(birth, today, 'remove', profile.leapDay)} for ending access, ${ageOnDate(birth, today, 'grant', profile.leapDay)} for granting it`
    : 'no readable birthDate (guardian access fails closed)';

  const lines: string[] = [];
  lines.push('Sprout policy explanation');
  lines.push(`  Profile:    ${profile.id} — ${profile.title} (time zone ${tz})`);
  lines.push(`  Signed in:  ${facts.principal.reference} (${facts.principal.kind})`);
  lines.push(`  Patient:    Patient/${patient.id ?? '?'}, ${ageLine}${patient.deceasedBoolean || patient.deceasedDateTime ? ', deceased' : ''}`);
  lines.push(`  At:         ${asOf.toISOString()} (local ${localTime(asOf, tz)}, local date ${formatDate(today)})`);
  lines.push('');
  lines.push(`Decision: ${decision.level.toUpperCase()} as ${decision.role}`);
  lines.push(`  Reason:       ${decision.reason}${decision.rule ? ` (profile rule "${decision.rule}")` : ''}`);
  lines.push('  Legal basis:');
  for (const basis of decision.legalBasis) lines.push(`    - ${basis}`);
  const f = decision.features;
  lines.push(`  Still works:  record ${yesNo(f.viewRecord)}, messages ${yesNo(f.messages)}, appointment requests ${yesNo(f.appointmentRequests)}, renewals ${yesNo(f.renewals)}, bills ${f.bills}`);
  lines.push(`  Family sees:  message "${decision.messageKey}"${decision.level === 'none' ? ` — contact ${profile.hospitalName} HIM${profile.himPhone === undefined ? '' : `: ${profile.himPhone}`}` : ''}`);
  lines.push(
    decision.nextChange
      ? `  Next change:  ${decision.nextChange.localDate} (${decision.nextChange.at}) → ${decision.nextChange.level} ("${decision.nextChange.messageKey}")`
      : '  Next change:  none foreseen',
  );
  lines.push(`  Valid until:  ${decision.validUntil} (re-decide after this; never cache past local midnight)`);
  if (decision.actingAs && decision.actingAs.length > 0) lines.push(`  Acting as:    ${decision.actingAs.join(', ')}`);

  const view = viewForDecision(decision, profile);
  if (view?.kind === 'allow-list') {
    lines.push(
      `  Unreadable medicines: ${profile.unreadableMedication.effect} (profile setting unreadableMedication — ${profile.unreadableMedication.source})`,
    );
  }

  const valueSet = valueSetForProfile(profile);
  const verdicts = input.resources.map((resource) => {
    const verdict = decideResource(decision, resource, resolve, profile, patient);
    let why: string[] = [];
    try {
      const classification = classifyResource(resource, resolve, valueSet);
      why = classification.findings.map((finding) =>
        finding.dualUse === undefined
          ? `${finding.category}: ${finding.detail}`
          : `${finding.category} (dual-use, ${finding.ageAlone ? 'hides only from the category\'s minimum age' : 'not sensitive without context'}: ${finding.dualUse}): ${finding.detail}`,
      );
      if (classification.medication) {
        why.push(`medicine ${classification.medication.readable ? 'readable' : 'NOT readable'}: ${classification.medication.detail}`);
      }
      if (verdict.reason === 'unreadable-medication') {
        why.unshift(`its ingredients cannot be read, so it is hidden by the profile setting unreadableMedication = ${profile.unreadableMedication.effect}`);
      }
    } catch {
      why = ['classification failed (hidden)'];
    }
    return { resource, verdict, why };
  });
  const shown = verdicts.filter((v) => v.verdict.effect === 'show').length;
  lines.push('');
  lines.push(`Resources: ${verdicts.length} judged — ${shown} shown, ${verdicts.length - shown} hidden`);
  for (const { resource, verdict, why } of verdicts) {
    const date = careDatesOf(resource)[0] ?? '';
    lines.push(
      `  ${verdict.effect === 'show' ? 'SHOW' : 'HIDE'}  ${`${resource.resourceType}/${resource.id ?? '?'}`.padEnd(44)} ${date.slice(0, 10).padEnd(10)}  ${labelOf(resource)}`,
    );
    lines.push(`        because: ${verdict.reason}`);
    for (const line of [...new Set(why)].slice(0, 6)) lines.push(`        found:   ${line}`);
  }
  return { decision, verdicts, text: lines.join('\n') };
}
