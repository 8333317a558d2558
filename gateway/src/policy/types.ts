/**
 * The public contract of the policy core. Everything under policy/ is pure: no HTTP, no clock, no I/O.
 * The shell (session routes, FHIR facade) gathers facts, calls these functions, and applies the values they return.
 * Deny by default: any branch that cannot decide returns level "none" / effect "hide".
 */
import type { Consent, Patient, Person, RelatedPerson, Resource } from 'fhir/r4';

export const ACCESS_LEVELS = ['full', 'allow-listed', 'none'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const PRINCIPAL_KINDS = ['RelatedPerson', 'Person', 'Patient', 'Practitioner'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Who is signed in, from the session (id_token fhirUser + granted scopes). */
export interface Principal {
  /** The fhirUser claim exactly as issued (absolute URL). */
  readonly fhirUser: string;
  /** The same, as a relative reference: "RelatedPerson/abc". */
  readonly reference: string;
  readonly kind: PrincipalKind;
  /** Granted scopes, as the token response listed them. */
  readonly scopes: readonly string[];
}

/** Facts about one (principal, patient) pair, gathered by the shell from the EHR. */
export interface PatientAccessFacts {
  readonly principal: Principal;
  readonly patient: Patient;
  /** Every RelatedPerson whose `patient` is this patient (the core picks the ones that are the principal's). */
  readonly relatedPersons: readonly RelatedPerson[];
  /** The principal's Person, when fhirUser is a Person (its `link` names the RelatedPersons it acts through). */
  readonly person?: Person;
  /** Every Consent whose `patient` is this patient. */
  readonly consents: readonly Consent[];
}

/** What still works for this person on this patient, whatever the record access. */
export interface AccessFeatures {
  readonly viewRecord: boolean;
  readonly messages: boolean;
  readonly appointmentRequests: boolean;
  readonly renewals: boolean;
  readonly bills: 'full' | 'balance-only' | 'none';
}

/** When and how access changes next (e.g. the 12th birthday). */
export interface NextAccessChange {
  /** The instant the change takes effect (first minute of the local day in the profile's time zone), ISO 8601. */
  readonly at: string;
  /** The same day as a local calendar date, YYYY-MM-DD, for display ("online access ends on 4 March 2027"). */
  readonly localDate: string;
  readonly level: AccessLevel;
  readonly messageKey: string;
}

/** The per-patient decision. A value: the shell renders it and hands it back to decideResource. */
export interface PatientAccessDecision {
  /** "Patient/<id>" */
  readonly patient: string;
  readonly level: AccessLevel;
  /** How the principal relates to the patient, as far as the policy is concerned. */
  readonly role: 'self' | 'guardian' | 'conservator' | 'staff' | 'none';
  /** A stable machine code for the reason (e.g. "guardian-child-under-12", "guardian-teen-no-online-access"). */
  readonly reason: string;
  /** Human-readable legal basis lines (statute citations), for the explain tool and the kind explanation. */
  readonly legalBasis: readonly string[];
  readonly features: AccessFeatures;
  readonly nextChange?: NextAccessChange;
  /**
   * Message key for the kind explanation shown to the family. It never reveals whether hidden records exist,
   * and for "none" it never says which rule (revoked grant, court order, …) applied.
   */
  readonly messageKey: string;
  /** The profile id that decided. */
  readonly profile: string;
  /** The instant the decision was made for (ISO 8601). Never reuse a decision past `validUntil`. */
  readonly asOf: string;
  /** Decisions are valid until the next local midnight in the profile's time zone (or nextChange, if sooner). */
  readonly validUntil: string;
  /**
   * (Additive) The id of the profile rule that set the level: an age band ("guardian-0-11"), "conservator-of-adult",
   * a teen-authorization rule, … decideResource looks the view up by it. Absent when no rule granted anything.
   */
  readonly rule?: string;
  /**
   * (Additive) The references that identify the signed-in person on this patient: the principal itself and the
   * RelatedPerson grant(s) it acts through. Used to recognise the principal's own message threads.
   */
  readonly actingAs?: readonly string[];
}

/** Resolves a literal relative reference ("Condition/123") to a resource the shell already fetched. */
export type ReferenceResolver = (reference: string) => Resource | undefined;

export interface ResourceVerdict {
  readonly effect: 'show' | 'hide';
  /** A machine reason code, for the audit trail only; never sent to the browser. */
  readonly reason: string;
  /** Sensitivity categories found on the resource (for the audit trail and the explain tool). */
  readonly categories: readonly string[];
}
