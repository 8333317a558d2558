/**
 * decidePatientAccess: who the principal is to this patient, and what that allows, at an instant.
 *
 * Order (read top to bottom; every branch that cannot decide denies):
 *   1. staff (Practitioner) → none: clinicians use the EHR;
 *   2. self (the Patient, or a Person linked to the Patient) → the profile's self band for the patient's age
 *      ("grant" reading: latest possible birthday);
 *   3. otherwise the principal's RelatedPerson grants for this patient. No grant → none. A Consent that denies this
 *      guardian (court order, harm determination) → none. No active grant in its period → none;
 *   4. a deceased patient → none, route to HIM;
 *   5. an adult with an active conservatorship Consent naming the grant → conservator;
 *   6. guardian relationship code required; birthDate required; per-patient flags (FC 6922, 7050, HSC 123115(a)(2));
 *   7. the profile's guardian band for the age ("remove" reading: earliest possible birthday), widened by a teen's
 *      authorization where the profile allows it.
 * Denials caused by the grant or a Consent share one message key and one legal-basis line, so the family is never
 * told which rule applied; the machine `reason` says it, for the audit trail and the explain tool.
 */
import type { Consent, Patient, Period, RelatedPerson } from 'fhir/r4';
import {
  addDays,
  ageOnDate,
  formatDate,
  localDateOf,
  milestoneDate,
  nextLocalMidnight,
  parseFhirDate,
  parseInstant,
  startOfLocalDay,
  type BirthDateRange,
} from './age.ts';
import { toRelativeReference, valuesAt, isRecord } from './fhir-json.ts';
import { findBand, type HospitalProfile, type ProfileBand, type ProfileGrantRule, type ProfileView } from './profile.ts';
import type { AccessFeatures, AccessLevel, PatientAccessDecision, PatientAccessFacts } from './types.ts';

export const NO_FEATURES: AccessFeatures = Object.freeze({
  viewRecord: false,
  messages: false,
  appointmentRequests: false,
  renewals: false,
  bills: 'none',
});

/** The one message key for every denial the family must not be told the reason for. */
export const NOT_ACTIVE_MESSAGE_KEY = 'access.not-active';
const NOT_ACTIVE_BASIS = [
  'Online access needs an active grant: a current RelatedPerson with a parent or guardian relationship and no restriction on file',
];

interface Outcome {
  readonly level: AccessLevel;
  readonly role: PatientAccessDecision['role'];
  readonly reason: string;
  readonly legalBasis: readonly string[];
  readonly features: AccessFeatures;
  readonly messageKey: string;
  readonly rule?: string;
  /** Whether the outcome depends on the patient's age (so a birthday can change it). */
  readonly ageDependent: boolean;
}

export function levelOfView(view: ProfileView): AccessLevel {
  switch (view.kind) {
    case 'full':
      return 'full';
    case 'allow-list':
      return 'allow-listed';
    case 'features-only':
      return 'none';
    default:
      return 'none';
  }
}

function fromRule(rule: ProfileBand | ProfileGrantRule, role: Outcome['role'], ageDependent: boolean): Outcome {
  return {
    level: levelOfView(rule.view),
    role,
    reason: rule.reason,
    legalBasis: rule.legalBasis,
    features: rule.features,
    messageKey: rule.messageKey,
    rule: rule.id,
    ageDependent,
  };
}

function notActive(reason: string, role: Outcome['role'] = 'none'): Outcome {
  return { level: 'none', role, reason, legalBasis: NOT_ACTIVE_BASIS, features: NO_FEATURES, messageKey: NOT_ACTIVE_MESSAGE_KEY, ageDependent: false };
}

// ---- periods and consents ---------------------------------------------------------------------------------------

/** Start instant of a FHIR date/dateTime bound: a date-only value starts at local midnight of its first day. */
function boundStart(value: string, timeZone: string): Date | undefined {
  const date = parseFhirDate(value);
  if (date) return startOfLocalDay(date.earliest, timeZone);
  return parseInstant(value);
}

/** End instant (exclusive) of a FHIR date/dateTime bound: a date-only value lasts through its last local day. */
function boundEnd(value: string, timeZone: string): Date | undefined {
  const date = parseFhirDate(value);
  if (date) return startOfLocalDay(addDays(date.latest, 1), timeZone);
  return parseInstant(value);
}

type PeriodState = 'current' | 'not-started' | 'ended' | 'unreadable';

function periodState(period: Period | undefined, asOf: Date, timeZone: string): PeriodState {
  if (!period) return 'current';
  if (period.start !== undefined) {
    const start = boundStart(period.start, timeZone);
    if (!start) return 'unreadable';
    if (asOf < start) return 'not-started';
  }
  if (period.end !== undefined) {
    const end = boundEnd(period.end, timeZone);
    if (!end) return 'unreadable';
    if (asOf >= end) return 'ended';
  }
  return 'current';
}

/** Future instants at which a period starts or ends: a decision must not outlive them. */
function periodLimits(period: Period | undefined, asOf: Date, timeZone: string): Date[] {
  if (!period) return [];
  const bounds = [
    period.start !== undefined ? boundStart(period.start, timeZone) : undefined,
    period.end !== undefined ? boundEnd(period.end, timeZone) : undefined,
  ];
  return bounds.filter((d): d is Date => d !== undefined && d > asOf);
}

interface Provision {
  readonly type: string | undefined;
  readonly actors: readonly string[];
  readonly period: Period | undefined;
}

/** The provision and every nested provision, flattened. */
function provisionsOf(consent: Consent): Provision[] {
  const out: Provision[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (!isRecord(node) || depth > 8) return;
    const actors = valuesAt(node, 'actor.reference.reference')
      .filter((r): r is string => typeof r === 'string')
      .map((r) => toRelativeReference(r) ?? r);
    const type = typeof node.type === 'string' ? node.type : undefined;
    const period = isRecord(node.period) ? (node.period as Period) : undefined;
    out.push({ type, actors, period });
    for (const child of valuesAt(node, 'provision')) visit(child, depth + 1);
  };
  visit(consent.provision, 0);
  return out;
}

function consentIsForPatient(consent: Consent, patientRef: string, patientId: string): boolean {
  const ref = consent.patient?.reference;
  return ref !== undefined && (toRelativeReference(ref) === patientRef || ref === `urn:uuid:${patientId}`);
}

/** Whether a Consent is of the rule's kind: a matching category coding, or a matching policy URI. */
function consentIsOfKind(consent: Consent, rule: ProfileGrantRule): boolean {
  const byCategory = (consent.category ?? []).some((concept) =>
    (concept.coding ?? []).some((c) => rule.consentCategories.some((k) => k.system === c.system && k.code === c.code)),
  );
  const byPolicy = (consent.policy ?? []).some((p) => p.uri !== undefined && rule.consentPolicyUris.includes(p.uri));
  return byCategory || byPolicy;
}

/** Active Consents for this patient whose provisions of `type` name one of the actors and are current. */
function matchingProvisions(
  consents: readonly Consent[],
  type: 'permit' | 'deny',
  actors: ReadonlySet<string>,
  patientRef: string,
  patientId: string,
  asOf: Date,
  timeZone: string,
): { consent: Consent; provision: Provision }[] {
  const found: { consent: Consent; provision: Provision }[] = [];
  for (const consent of consents) {
    if (consent.status !== 'active' || !consentIsForPatient(consent, patientRef, patientId)) continue;
    for (const provision of provisionsOf(consent)) {
      if (provision.type !== type || !provision.actors.some((a) => actors.has(a))) continue;
      if (periodState(provision.period, asOf, timeZone) !== 'current') continue;
      found.push({ consent, provision });
    }
  }
  return found;
}

// ---- principal → patient ----------------------------------------------------------------------------------------

function isSelf(facts: PatientAccessFacts, patientRef: string): boolean {
  const { principal, person } = facts;
  if (principal.kind === 'Patient') return principal.reference === patientRef;
  if (principal.kind === 'Person' && person && `Person/${person.id}` === principal.reference && person.active !== false) {
    return (person.link ?? []).some((l) => toRelativeReference(l.target.reference ?? '') === patientRef);
  }
  return false;
}

/** The RelatedPersons for this patient the principal acts through (its own, or those its Person links to). */
function grantsOf(facts: PatientAccessFacts, patientRef: string, patientId: string): RelatedPerson[] {
  const { principal, person } = facts;
  const isForPatient = (rp: RelatedPerson): boolean => {
    const ref = rp.patient?.reference;
    return ref !== undefined && (toRelativeReference(ref) === patientRef || ref === `urn:uuid:${patientId}`);
  };
  if (principal.kind === 'RelatedPerson') {
    return facts.relatedPersons.filter((rp) => `RelatedPerson/${rp.id}` === principal.reference && isForPatient(rp));
  }
  if (principal.kind === 'Person' && person && `Person/${person.id}` === principal.reference && person.active !== false) {
    const linked = new Set((person.link ?? []).map((l) => toRelativeReference(l.target.reference ?? '')));
    return facts.relatedPersons.filter((rp) => linked.has(`RelatedPerson/${rp.id}`) && isForPatient(rp));
  }
  return [];
}

function hasGuardianRelationship(rp: RelatedPerson, profile: HospitalProfile): boolean {
  return (rp.relationship ?? []).some((concept) =>
    (concept.coding ?? []).some((c) => profile.guardianRelationships.some((g) => g.system === c.system && g.code === c.code)),
  );
}

function isDeceased(patient: Patient): boolean {
  return patient.deceasedBoolean === true || patient.deceasedDateTime !== undefined;
}

function patientFlag(patient: Patient, profile: HospitalProfile, age: number): HospitalProfile['patientFlags'][number] | undefined {
  const codings = [...(patient.meta?.security ?? []), ...(patient.meta?.tag ?? [])];
  return profile.patientFlags.find(
    (flag) => age >= flag.fromAge && codings.some((c) => c.system === flag.system && c.code === flag.code),
  );
}

// ---- the decision -----------------------------------------------------------------------------------------------

interface Decided {
  readonly outcome: Outcome;
  readonly actingAs: readonly string[];
  readonly limits: readonly Date[];
}

function decideOutcome(facts: PatientAccessFacts, profile: HospitalProfile, asOf: Date, birth: BirthDateRange | undefined): Decided {
  const { principal, patient } = facts;
  const tz = profile.timeZone;
  const patientId = patient.id;
  if (!patientId || patient.resourceType !== 'Patient') return { outcome: notActive('invalid-patient'), actingAs: [], limits: [] };
  const patientRef = `Patient/${patientId}`;
  const today = localDateOf(asOf, tz);

  if (principal.kind === 'Practitioner') {
    const s = profile.staff;
    return {
      outcome: { level: 'none', role: 'staff', reason: s.reason, legalBasis: s.legalBasis, features: NO_FEATURES, messageKey: s.messageKey, ageDependent: false },
      actingAs: [principal.reference],
      limits: [],
    };
  }

  const deceased = (role: Outcome['role']): Outcome => ({
    level: 'none',
    role,
    reason: profile.deceased.reason,
    legalBasis: profile.deceased.legalBasis,
    features: NO_FEATURES,
    messageKey: profile.deceased.messageKey,
    ageDependent: false,
  });

  if (isSelf(facts, patientRef)) {
    const actingAs = [principal.reference];
    if (isDeceased(patient)) return { outcome: deceased('self'), actingAs, limits: [] };
    if (!birth) return { outcome: notActive('birthdate-unknown', 'self'), actingAs, limits: [] };
    const band = findBand(profile.selfBands, ageOnDate(birth, today, 'grant', profile.leapDay));
    if (!band) return { outcome: notActive('not-yet-born', 'self'), actingAs, limits: [] };
    return { outcome: fromRule(band, 'self', true), actingAs, limits: [] };
  }

  const grants = grantsOf(facts, patientRef, patientId);
  if (grants.length === 0) return { outcome: notActive('no-relationship'), actingAs: [], limits: [] };
  const actingAs = [principal.reference, ...grants.map((g) => `RelatedPerson/${g.id}`)];
  const actors = new Set(actingAs);

  const denials = matchingProvisions(facts.consents, 'deny', actors, patientRef, patientId, asOf, tz);
  if (denials.length > 0) return { outcome: notActive('consent-restricts-guardian'), actingAs, limits: [] };

  const states = grants.map((g) => ({ grant: g, state: g.active === false ? 'inactive' : periodState(g.period, asOf, tz) }));
  const current = states.filter((s) => s.state === 'current').map((s) => s.grant);
  if (current.length === 0) {
    const first = states[0]?.state ?? 'inactive';
    const reason = first === 'inactive' ? 'grant-inactive' : first === 'ended' ? 'grant-period-ended' : first === 'not-started' ? 'grant-not-started' : 'grant-period-unreadable';
    const limits = grants.flatMap((g) => periodLimits(g.period, asOf, tz));
    return { outcome: notActive(reason), actingAs, limits };
  }
  const currentActors = new Set([principal.reference, ...current.map((g) => `RelatedPerson/${g.id}`)]);
  const limits = [
    ...current.flatMap((g) => periodLimits(g.period, asOf, tz)),
    ...facts.consents.flatMap((c) => provisionsOf(c).flatMap((p) => periodLimits(p.period, asOf, tz))),
  ];

  if (isDeceased(patient)) return { outcome: deceased('guardian'), actingAs, limits };
  if (!birth) return { outcome: notActive('birthdate-unknown'), actingAs, limits };
  const age = ageOnDate(birth, today, 'remove', profile.leapDay);
  const band = findBand(profile.guardianBands, age);
  if (!band) return { outcome: notActive('not-yet-born'), actingAs, limits };

  const lastBand = profile.guardianBands[profile.guardianBands.length - 1];
  const conservatorship = profile.conservatorship;
  if (lastBand && band.id === lastBand.id) {
    const permits = matchingProvisions(facts.consents, 'permit', currentActors, patientRef, patientId, asOf, tz).filter((m) =>
      consentIsOfKind(m.consent, conservatorship),
    );
    if (permits.length > 0) return { outcome: fromRule(conservatorship, 'conservator', false), actingAs, limits };
  }

  if (!current.some((g) => hasGuardianRelationship(g, profile))) {
    return { outcome: notActive('relationship-not-guardian'), actingAs, limits };
  }

  const flag = patientFlag(patient, profile, age);
  if (flag) return { outcome: { ...notActive(flag.reason), ageDependent: true }, actingAs, limits };

  const teenAuthorization = profile.teenAuthorization;
  if (teenAuthorization && teenAuthorization.appliesToBands.includes(band.id)) {
    const permits = matchingProvisions(facts.consents, 'permit', currentActors, patientRef, patientId, asOf, tz).filter((m) =>
      consentIsOfKind(m.consent, teenAuthorization),
    );
    if (permits.length > 0) return { outcome: fromRule(teenAuthorization, 'guardian', true), actingAs, limits };
  }
  return { outcome: fromRule(band, 'guardian', true), actingAs, limits };
}

function sameAccess(a: Outcome, b: Outcome): boolean {
  return a.level === b.level && a.reason === b.reason && JSON.stringify(a.features) === JSON.stringify(b.features);
}

/** Birthdays at which some band changes, as first instants of the local day, after `asOf`, ascending. */
function candidateChanges(profile: HospitalProfile, birth: BirthDateRange, asOf: Date): Date[] {
  const ages = new Set([...profile.guardianBands, ...profile.selfBands].map((b) => b.fromAge).filter((a) => a > 0));
  const instants: Date[] = [];
  for (const age of ages) {
    for (const reading of ['remove', 'grant'] as const) {
      const instant = startOfLocalDay(milestoneDate(birth, age, reading, profile.leapDay), profile.timeZone);
      if (instant > asOf) instants.push(instant);
    }
  }
  return [...new Map(instants.map((d) => [d.getTime(), d])).values()].sort((a, b) => a.getTime() - b.getTime());
}

/**
 * The per-patient decision. Pure: `asOf` is the instant to judge (the shell passes its clock's now). Throws only on
 * an invalid `asOf` (a programming error); bad FHIR input yields level "none".
 */
export function decidePatientAccess(facts: PatientAccessFacts, profile: HospitalProfile, asOf: Date): PatientAccessDecision {
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new TypeError('decidePatientAccess: asOf must be a valid Date');
  const birth = parseFhirDate(facts.patient.birthDate);
  const { outcome, actingAs, limits } = decideOutcome(facts, profile, asOf, birth);

  let nextChange: PatientAccessDecision['nextChange'];
  if (outcome.ageDependent && birth) {
    for (const at of candidateChanges(profile, birth, asOf)) {
      const later = decideOutcome(facts, profile, at, birth).outcome;
      if (!sameAccess(later, outcome)) {
        nextChange = {
          at: at.toISOString(),
          localDate: formatDate(localDateOf(at, profile.timeZone)),
          level: later.level,
          messageKey: later.messageKey,
        };
        break;
      }
    }
  }

  const ends = [nextLocalMidnight(asOf, profile.timeZone), ...limits, ...(nextChange ? [new Date(nextChange.at)] : [])];
  const validUntil = ends.reduce((min, d) => (d < min ? d : min));

  return {
    patient: `Patient/${facts.patient.id ?? ''}`,
    level: outcome.level,
    role: outcome.role,
    reason: outcome.reason,
    legalBasis: outcome.legalBasis,
    features: outcome.features,
    ...(nextChange ? { nextChange } : {}),
    messageKey: outcome.messageKey,
    profile: profile.id,
    asOf: asOf.toISOString(),
    validUntil: validUntil.toISOString(),
    ...(outcome.rule ? { rule: outcome.rule } : {}),
    actingAs,
  };
}
