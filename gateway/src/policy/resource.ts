/**
 * decideResource: show or hide one resource for a per-patient decision, and redactPatientForDecision for the Patient
 * resource itself. Deny by default: an unknown level, rule or resource type hides; any exception hides.
 */
import type { Coding, Patient, Resource } from 'fhir/r4';
import { addDays, ageOnDate, localDayOfFhirDateTime, parseFhirDate, startOfLocalDay, type CalendarDate } from './age.ts';
import { CONFIDENTIALITY_SYSTEM, SENSITIVITY_CATEGORIES, type SensitivityCategory } from './categories.ts';
import { classifyResource, careDatesOf, type Classification, type ClassificationMemo } from './classify.ts';
import { valueSetForProfile } from './value-set.ts';
import { collectCodings, isRecord, referencesAt, stringsAt, toRelativeReference } from './fhir-json.ts';
import type { HospitalProfile, ProfileView } from './profile.ts';
import type { PatientAccessDecision, ReferenceResolver, ResourceVerdict } from './types.ts';

function hide(reason: string, categories: readonly string[] = []): ResourceVerdict {
  return { effect: 'hide', reason, categories };
}
function show(reason: string, categories: readonly string[] = []): ResourceVerdict {
  return { effect: 'show', reason, categories };
}

/** The view a decision's rule grants, or undefined (features only / nothing). */
export function viewForDecision(decision: PatientAccessDecision, profile: HospitalProfile): ProfileView | undefined {
  if (decision.profile !== profile.id || decision.rule === undefined) return undefined;
  switch (decision.role) {
    case 'self':
      return profile.selfBands.find((b) => b.id === decision.rule)?.view;
    case 'guardian':
      if (profile.teenAuthorization?.id === decision.rule) return profile.teenAuthorization.view;
      return profile.guardianBands.find((b) => b.id === decision.rule)?.view;
    case 'conservator':
      return profile.conservatorship.id === decision.rule ? profile.conservatorship.view : undefined;
    default:
      return undefined;
  }
}

function referencesPatient(reference: string | undefined, patient: Patient): boolean {
  if (reference === undefined || !patient.id) return false;
  return toRelativeReference(reference) === `Patient/${patient.id}` || reference === `urn:uuid:${patient.id}`;
}

/** The patient references a resource names as its subject; [] for non-patient resources (Practitioner, …). */
const SUBJECT_PATHS = ['subject', 'patient', 'beneficiary', 'for'];
function subjectReferences(resource: Resource): string[] {
  const found: string[] = [];
  for (const path of SUBJECT_PATHS) {
    for (const reference of referencesAt(resource, path)) if (/Patient\/|^urn:uuid:/.test(reference)) found.push(reference);
  }
  return found;
}

/**
 * The category (if any) that hides this resource in a view hiding `hidden`. A category with a minimum age hides only
 * items from care the minor could have consented to alone: the patient's oldest possible age on the item's latest
 * care date must reach the minimum. Unknown dates or birthDate fail closed (hide).
 */
export function hidingCategory(
  classification: Classification,
  hidden: ReadonlySet<SensitivityCategory>,
  patient: Patient,
  profile: HospitalProfile,
): SensitivityCategory | undefined {
  let birth: ReturnType<typeof parseFhirDate> | null = null; // parsed on first need: most resources have no finding
  for (const finding of classification.findings) {
    if (!hidden.has(finding.category)) continue;
    // An uncorroborated dual-use finding hides only where age corroborates it: the minimum-age rule below decides.
    if (finding.dualUse !== undefined && !finding.ageAlone) continue;
    const minimumAge = SENSITIVITY_CATEGORIES[finding.category].minimumAge;
    if (minimumAge === 0) return finding.category;
    if (birth === null) birth = parseFhirDate(patient.birthDate);
    const dates = classification.dates.length > 0 ? classification.dates : finding.dates;
    const born = birth;
    if (!born || dates.length === 0) return finding.category;
    const days = dates.map((d) => localDayOfFhirDateTime(d, profile.timeZone));
    if (days.some((d) => d === undefined)) return finding.category;
    const oldest = Math.max(...days.map((d) => ageOnDate(born, d as CalendarDate, 'remove', profile.leapDay)));
    if (oldest >= minimumAge) return finding.category;
  }
  return undefined;
}

function confidentialityCodes(resource: Resource): string[] {
  return (resource.meta?.security ?? []).filter((c) => c.system === CONFIDENTIALITY_SYSTEM).map((c) => c.code ?? '');
}

function isOwnThread(resource: Resource, decision: PatientAccessDecision): boolean {
  const actingAs = new Set(decision.actingAs ?? []);
  if (actingAs.size === 0) return false;
  const parties = [
    ...stringsAt(resource, 'sender.reference'),
    ...stringsAt(resource, 'recipient.reference'),
    ...stringsAt(resource, 'requester.reference'),
  ].map((r) => toRelativeReference(r) ?? r);
  return parties.some((p) => actingAs.has(p));
}

function addBusinessDays(start: CalendarDate, days: number): CalendarDate {
  let date = start;
  let remaining = days;
  while (remaining > 0) {
    date = addDays(date, 1);
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) remaining -= 1;
  }
  return date;
}

/** The release hold (if any) still in force for this resource at the decision's instant. */
function activeHold(resource: Resource, classification: Classification, profile: HospitalProfile, asOf: Date): string | undefined {
  for (const hold of profile.releaseHolds) {
    if (!hold.resourceTypes.includes(resource.resourceType)) continue;
    const byCategory = hold.categories?.some((c) => classification.categories.includes(c)) ?? false;
    const codings: Coding[] = hold.codes ? collectCodings(resource, new Set(['meta', 'text'])) : [];
    const byCode = hold.codes?.some((h) => codings.some((c) => c.system === h.system && c.code === h.code)) ?? false;
    const applies = (hold.categories === undefined && hold.codes === undefined) || byCategory || byCode;
    if (!applies) continue;
    const dates = [...stringsAt(resource, 'issued'), ...careDatesOf(resource)];
    const day = dates.length > 0 ? localDayOfFhirDateTime(dates[0], profile.timeZone) : undefined;
    if (!day) return hold.id;
    const releaseAt = startOfLocalDay(addBusinessDays(day, hold.businessDays), profile.timeZone);
    if (asOf < releaseAt) return hold.id;
  }
  return undefined;
}

/** A view's hidden categories as a set, built once per (immutable) view rather than once per resource. */
type RecordView = Extract<ProfileView, { hiddenCategories: unknown }>;
const HIDDEN_SETS = new WeakMap<RecordView, ReadonlySet<SensitivityCategory>>();
function hiddenSetOf(view: RecordView): ReadonlySet<SensitivityCategory> {
  let hidden = HIDDEN_SETS.get(view);
  if (hidden === undefined) {
    hidden = new Set(view.hiddenCategories);
    HIDDEN_SETS.set(view, hidden);
  }
  return hidden;
}

const REFERENCE_DATA_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location']);

function decideUnsafe(
  decision: PatientAccessDecision,
  resource: Resource,
  resolve: ReferenceResolver,
  profile: HospitalProfile,
  patient: Patient,
  memo: ClassificationMemo | undefined,
): ResourceVerdict {
  if (decision.profile !== profile.id) return hide('profile-mismatch');
  if (!patient.id || decision.patient !== `Patient/${patient.id}`) return hide('patient-mismatch');
  const features = decision.features;
  const anyFeature = features.messages || features.appointmentRequests || features.renewals || features.bills !== 'none';

  if (resource.resourceType === 'Patient') {
    if (resource.id !== patient.id) return hide('other-patient');
    if (decision.level === 'none' && !anyFeature) return hide('no-access');
    return show(seesFullDemographics(decision, profile) ? 'patient' : 'patient-demographics-redacted');
  }
  const subjects = subjectReferences(resource);
  if (subjects.some((s) => !referencesPatient(s, patient))) return hide('other-patient');
  // A message a clinician marked confidential to the patient (restricted) is the patient's alone, at every age.
  if ((resource.resourceType === 'Communication' || resource.resourceType === 'CommunicationRequest') && decision.role !== 'self' && confidentialityCodes(resource).some((c) => c === 'R' || c === 'V')) {
    return hide('confidential-to-patient');
  }

  // Bills (issue 13): an account only with the bills feature; statements and their lines only with bills "full"
  // (a guardian with "balance-only" sees an amount, never a line that could reveal confidential care).
  if (resource.resourceType === 'Account' && features.bills === 'none') return hide('bills-off');
  if ((resource.resourceType === 'Invoice' || resource.resourceType === 'ChargeItem') && features.bills !== 'full') return hide('bills-not-full');

  const view = viewForDecision(decision, profile);
  if (decision.level === 'none' || !view || view.kind === 'features-only') {
    // Nothing of the record; only what a remaining feature needs.
    if ((resource.resourceType === 'Communication' || resource.resourceType === 'CommunicationRequest') && features.messages) {
      return isOwnThread(resource, decision) ? show('feature-messages-own-thread') : hide('not-own-thread');
    }
    if (resource.resourceType === 'Account' && features.bills !== 'none') return show('feature-bills-account');
    if (REFERENCE_DATA_TYPES.has(resource.resourceType) && (features.messages || features.appointmentRequests)) {
      return show('feature-reference-data');
    }
    return hide('no-record-access');
  }

  const classification = classifyResource(resource, resolve, valueSetForProfile(profile), memo);
  const categories = classification.categories;
  const hidden = hiddenSetOf(view);

  if (view.kind === 'allow-list') {
    const rule = view.allow.find((r) => r.resourceType === resource.resourceType);
    if (!rule) return hide('not-on-allow-list', categories);
    if (rule.when === 'own-threads' && !isOwnThread(resource, decision)) return hide('not-own-thread', categories);
    if (rule.when === 'labelled-non-confidential') {
      const codes = confidentialityCodes(resource);
      if (!codes.some((c) => c === 'N' || c === 'L') || codes.some((c) => c === 'R' || c === 'V')) {
        return hide('not-labelled-non-confidential', categories);
      }
    }
  }

  const category = hidingCategory(classification, hidden, patient, profile);
  if (category) return hide(`hidden-category:${category}`, categories);
  // Unknown is not safe: a guardian's allow-listed view does not show a medicine nobody could read (profile setting).
  if (
    view.kind === 'allow-list' &&
    decision.role === 'guardian' &&
    classification.medication?.readable === false &&
    profile.unreadableMedication.effect === 'hide-from-guardian'
  ) {
    return hide('unreadable-medication', categories);
  }
  const hold = profile.releaseHolds.length === 0 ? undefined : activeHold(resource, classification, profile, new Date(decision.asOf));
  if (hold) return hide(`release-hold:${hold}`, categories);
  return show(view.kind === 'allow-list' ? 'allow-listed' : 'visible', categories);
}

/**
 * Whether the decision sees the Patient resource unredacted: the patient themself, a conservator, or a guardian whose
 * age band grants a full view (a young child). A guardian of a teen — allow-listed, features only, or widened by the
 * teen's authorization — sees demographics only.
 */
function seesFullDemographics(decision: PatientAccessDecision, profile: HospitalProfile): boolean {
  if (decision.level === 'none' || decision.profile !== profile.id) return false;
  if (decision.role === 'self' || decision.role === 'conservator') return true;
  return decision.role === 'guardian' && profile.guardianBands.some((b) => b.id === decision.rule && b.view.kind === 'full');
}

/**
 * Show or hide one resource. `patient` is the decision's patient; `resolve` returns referenced resources the shell
 * already fetched (see referencesToResolve). Never throws: any failure hides (fail closed). For a Patient verdict
 * "show", the facade must still apply redactPatientForDecision. `memo` (optional, one per request) lets many decisions
 * over the same fetched resources share the per-resource classification work; it never changes a verdict.
 */
export function decideResource(
  decision: PatientAccessDecision,
  resource: Resource,
  resolve: ReferenceResolver,
  profile: HospitalProfile,
  patient: Patient,
  memo?: ClassificationMemo,
): ResourceVerdict {
  try {
    if (!isRecord(resource) || typeof resource.resourceType !== 'string') return hide('not-a-resource');
    return decideUnsafe(decision, resource, resolve, profile, patient, memo);
  } catch {
    return hide('policy-error');
  }
}

/** Name uses a guardian may see: the legal name, not a teen's chosen or other names. */
const SHAREABLE_NAME_USES = new Set([undefined, 'official', 'usual']);

/**
 * The Patient resource as this decision may see it. Self, conservators and guardians with a full band view get it
 * unchanged. Everyone else (allow-listed or features-only guardians, teen-authorized guardians) gets demographics
 * only: no telecom, address, contacts, photo, links, general practitioner, extensions or narrative — the teen's
 * confidential contact data stays private. `usual` names are kept for display; nicknames/other names are dropped.
 */
export function redactPatientForDecision(patient: Patient, decision: PatientAccessDecision, profile: HospitalProfile): Patient {
  if (seesFullDemographics(decision, profile)) return patient;
  const names = (patient.name ?? []).filter((n) => SHAREABLE_NAME_USES.has(n.use));
  const redacted: Patient = {
    resourceType: 'Patient',
    ...(patient.id !== undefined ? { id: patient.id } : {}),
    ...(patient.meta?.versionId || patient.meta?.lastUpdated
      ? { meta: { ...(patient.meta.versionId ? { versionId: patient.meta.versionId } : {}), ...(patient.meta.lastUpdated ? { lastUpdated: patient.meta.lastUpdated } : {}) } }
      : {}),
    ...(patient.active !== undefined ? { active: patient.active } : {}),
    ...(names.length > 0 ? { name: names } : {}),
    ...(patient.birthDate !== undefined ? { birthDate: patient.birthDate } : {}),
    ...(patient.gender !== undefined ? { gender: patient.gender } : {}),
    ...(patient.communication ? { communication: patient.communication } : {}),
    ...(patient.managingOrganization ? { managingOrganization: patient.managingOrganization } : {}),
  };
  return redacted;
}
