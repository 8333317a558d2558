/**
 * View models: what the app's record views render. Every shape here is a plain, JSON-serialisable object (no Dates,
 * no class instances, no functions), produced by the total mappers in this package from FHIR R4 resources.
 *
 * Contracts shared by every view model:
 * - A field that could not be derived is absent (`undefined`), an empty array, or — where the UI always needs
 *   something to show — the `{ kind: 'unknown' }` label, which the app localizes. No string field is ever empty,
 *   "undefined", "NaN" or "[object Object]".
 * - Dates stay as the EHR wrote them (ISO 8601, possibly partial) together with their precision; the app formats them
 *   in the hospital's time zone and the user's locale.
 * - Codes from closed FHIR value sets are narrowed to the union types below; unknown codes become `undefined`.
 * - `unsafeNarrativeXhtml` is untrusted XHTML straight from the EHR; the app must sanitize it (DOMPurify) before
 *   rendering. This package never sanitizes it.
 * - `key` is stable within one mapping result (resource type + id, or a positional fallback) for keyed rendering.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------------------------

/** A human-readable label, or a placeholder the app localizes ("Unknown"/"Desconocido"). Never an empty string. */
export type Label = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'unknown' };

/** One code as the EHR sent it (system may be absent in sloppy data). */
export interface CodingView {
  readonly system?: string;
  readonly code: string;
  readonly display?: string;
}

export const DATE_PRECISIONS = ['year', 'month', 'day', 'time'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/**
 * A FHIR date/dateTime/instant kept as written. `iso` is the original string ("2019", "2019-07", "2019-07-04",
 * "2019-07-04T10:15:00-07:00"); `precision` tells the app how much of it to show. Malformed strings never get here.
 */
export interface DateValue {
  readonly iso: string;
  readonly precision: DatePrecision;
}

export interface PeriodValue {
  readonly start?: DateValue;
  readonly end?: DateValue;
}

export const QUANTITY_COMPARATORS = ['<', '<=', '>=', '>'] as const;
export type QuantityComparator = (typeof QUANTITY_COMPARATORS)[number];

/** A finite number with its unit (Quantity.unit, else Quantity.code); `ucum` is the UCUM code when the system is UCUM. */
export interface QuantityValue {
  readonly value: number;
  readonly unit?: string;
  readonly ucum?: string;
  readonly comparator?: QuantityComparator;
}

export interface RangeValue {
  readonly low?: QuantityValue;
  readonly high?: QuantityValue;
}

/** Metadata of a FHIR Attachment. The bytes are fetched through the gateway (`url`), never inlined into the view. */
export interface AttachmentView {
  readonly contentType?: string;
  readonly title?: string;
  readonly url?: string;
  readonly size?: number;
  readonly language?: string;
  readonly creation?: DateValue;
  /** True when the attachment carries inline base64 `data` (the app asks the gateway for it by resource and index). */
  readonly hasInlineData: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Patient banner
// ---------------------------------------------------------------------------------------------------------------

export const AGE_UNITS = ['days', 'months', 'years'] as const;
export type AgeUnit = (typeof AGE_UNITS)[number];

/**
 * Age at a given instant, for pediatric reading. `years`/`months`/`days` are the exact calendar difference
 * (e.g. 2 years, 3 months, 12 days). `unit` and `value` say how to read it:
 * - under 1 month: days ("12 days");
 * - under 2 years: months ("7 months"; `weeks` is also given for the first months if the app prefers weeks);
 * - under 5 years: years and months ("3 years 4 months", `withMonths` true);
 * - otherwise: years.
 */
export interface Age {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  /** Whole days alive (for the first weeks and for growth charts). */
  readonly totalDays: number;
  /** Whole weeks alive (`totalDays / 7`, rounded down). */
  readonly weeks: number;
  readonly unit: AgeUnit;
  readonly value: number;
  /** When `unit` is 'years': also show `months` (young children, "3 years 4 months"). */
  readonly withMonths: boolean;
}

export const ADMINISTRATIVE_GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type AdministrativeGender = (typeof ADMINISTRATIVE_GENDERS)[number];

export interface IdentifierView {
  readonly value: string;
  readonly system?: string;
  /** The identifier type label (e.g. "Medical Record Number"), when given. */
  readonly type?: string;
}

export interface PatientBanner {
  readonly key: string;
  readonly id?: string;
  /** Full display name: prefix, given, family, suffix (official name, else usual, else first). */
  readonly name: Label;
  readonly givenNames: readonly string[];
  readonly familyName?: string;
  readonly prefixes: readonly string[];
  readonly suffixes: readonly string[];
  /** Up to two letters for the photo avatar; '' when no name is known (the app shows a generic avatar). */
  readonly initials: string;
  /** As written, partial dates kept partial. */
  readonly birthDate?: DateValue;
  /** Undefined when the birth date is missing, partial or after `asOf`. */
  readonly age?: Age;
  readonly sex?: AdministrativeGender;
  /** Identifier typed MR, else the first identifier with a value. */
  readonly mrn?: IdentifierView;
  readonly deceased: boolean;
  readonly unsafeNarrativeXhtml?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Health issues (Condition)
// ---------------------------------------------------------------------------------------------------------------

export const CONDITION_CLINICAL_STATUSES = ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'] as const;
export type ConditionClinicalStatus = (typeof CONDITION_CLINICAL_STATUSES)[number];

export const CONDITION_VERIFICATION_STATUSES = ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'] as const;
export type ConditionVerificationStatus = (typeof CONDITION_VERIFICATION_STATUSES)[number];

/** Condition.onset[x] / abatement[x], whichever form the EHR used. */
export type OnsetValue =
  | { readonly kind: 'date'; readonly date: DateValue }
  | { readonly kind: 'age'; readonly age: QuantityValue }
  | { readonly kind: 'period'; readonly period: PeriodValue }
  | { readonly kind: 'range'; readonly range: RangeValue }
  | { readonly kind: 'text'; readonly text: string };

export interface HealthIssue {
  readonly key: string;
  readonly id?: string;
  readonly label: Label;
  readonly codes: readonly CodingView[];
  readonly clinicalStatus?: ConditionClinicalStatus;
  readonly verificationStatus?: ConditionVerificationStatus;
  /** clinicalStatus is active, recurrence or relapse (or absent with no abatement). */
  readonly isActive: boolean;
  readonly onset?: OnsetValue;
  readonly abatement?: OnsetValue;
  readonly recordedDate?: DateValue;
  readonly categories: readonly Label[];
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Allergies (AllergyIntolerance)
// ---------------------------------------------------------------------------------------------------------------

export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type AllergySeverity = (typeof ALLERGY_SEVERITIES)[number];
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
export type AllergyCriticality = (typeof ALLERGY_CRITICALITIES)[number];
export const ALLERGY_CLINICAL_STATUSES = ['active', 'inactive', 'resolved'] as const;
export type AllergyClinicalStatus = (typeof ALLERGY_CLINICAL_STATUSES)[number];
export const ALLERGY_VERIFICATION_STATUSES = ['unconfirmed', 'confirmed', 'refuted', 'entered-in-error'] as const;
export type AllergyVerificationStatus = (typeof ALLERGY_VERIFICATION_STATUSES)[number];
export const ALLERGY_CATEGORIES = ['food', 'medication', 'environment', 'biologic'] as const;
export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number];

/** What a "no known …" statement rules out (SNOMED 716186003 / 409137002 / 429625007 / 428607008). */
export const NO_KNOWN_ALLERGY_KINDS = ['allergy', 'drug-allergy', 'food-allergy', 'environmental-allergy'] as const;
export type NoKnownAllergyKind = (typeof NO_KNOWN_ALLERGY_KINDS)[number];

export interface AllergyReactionView {
  readonly manifestations: readonly Label[];
  readonly substance?: Label;
  readonly severity?: AllergySeverity;
  readonly description?: string;
  readonly onset?: DateValue;
}

export interface AllergyItem {
  readonly key: string;
  readonly id?: string;
  readonly substance: Label;
  readonly codes: readonly CodingView[];
  readonly categories: readonly AllergyCategory[];
  readonly type?: 'allergy' | 'intolerance';
  readonly reactions: readonly AllergyReactionView[];
  /** The most severe reaction severity recorded. */
  readonly severity?: AllergySeverity;
  readonly criticality?: AllergyCriticality;
  readonly clinicalStatus?: AllergyClinicalStatus;
  readonly verificationStatus?: AllergyVerificationStatus;
  readonly onset?: OnsetValue;
  readonly recordedDate?: DateValue;
  readonly notes: readonly string[];
}

export interface NoKnownAllergyStatement {
  readonly key: string;
  readonly id?: string;
  readonly kind: NoKnownAllergyKind;
  readonly clinicalStatus?: AllergyClinicalStatus;
  readonly verificationStatus?: AllergyVerificationStatus;
  readonly recordedDate?: DateValue;
}

export interface AllergyList {
  /** Real allergies and intolerances: active first, then most critical, then by name. */
  readonly allergies: readonly AllergyItem[];
  /** "No known (drug/food/…) allergies" statements; shown as such, never as an allergy called "No known allergy". */
  readonly noKnownAllergies: readonly NoKnownAllergyStatement[];
}

// ---------------------------------------------------------------------------------------------------------------
// Medications (MedicationRequest)
// ---------------------------------------------------------------------------------------------------------------

export const MEDICATION_REQUEST_STATUSES = ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'] as const;
export type MedicationRequestStatus = (typeof MEDICATION_REQUEST_STATUSES)[number];

export const TIMING_PERIOD_UNITS = ['s', 'min', 'h', 'd', 'wk', 'mo', 'a'] as const;
export type TimingPeriodUnit = (typeof TIMING_PERIOD_UNITS)[number];

/** Timing.repeat and Timing.code, structured so the app can say "2 times a day for 10 days" in any locale. */
export interface TimingParts {
  /** Timing.code (BID, TID, Q4H…) as a label. */
  readonly code?: Label;
  readonly frequency?: number;
  readonly frequencyMax?: number;
  readonly period?: number;
  readonly periodMax?: number;
  readonly periodUnit?: TimingPeriodUnit;
  readonly duration?: number;
  readonly durationMax?: number;
  readonly durationUnit?: TimingPeriodUnit;
  readonly count?: number;
  readonly countMax?: number;
  /** Event codes such as "ACM", "HS", "WAKE". */
  readonly when: readonly string[];
  /** "08:00:00"… */
  readonly timeOfDay: readonly string[];
  /** "mon", "tue"… */
  readonly dayOfWeek: readonly string[];
  readonly bounds?: PeriodValue;
}

export interface DoseInstruction {
  /** Dosage.text as the prescriber wrote it; when present the app shows it first. */
  readonly text?: string;
  readonly patientInstruction?: string;
  readonly additionalInstructions: readonly Label[];
  readonly dose?: { readonly kind: 'quantity'; readonly quantity: QuantityValue } | { readonly kind: 'range'; readonly range: RangeValue };
  readonly timing?: TimingParts;
  readonly asNeeded: boolean;
  readonly asNeededFor?: Label;
  readonly route?: Label;
  readonly method?: Label;
  readonly site?: Label;
  readonly maxDosePerPeriod?: { readonly numerator?: QuantityValue; readonly denominator?: QuantityValue };
}

export interface RefillInfo {
  /** dispenseRequest.numberOfRepeatsAllowed. */
  readonly allowed: number;
  /** Refills already used, when MedicationDispense records for this order were present (fills after the first). */
  readonly used?: number;
  /** allowed − used (never below 0); equals `allowed` when no dispense information was available. */
  readonly left: number;
  readonly dispensesKnown: boolean;
}

export interface MedicationItem {
  readonly key: string;
  readonly id?: string;
  readonly name: Label;
  readonly codes: readonly CodingView[];
  readonly status?: MedicationRequestStatus;
  readonly intent?: string;
  readonly isActive: boolean;
  readonly authoredOn?: DateValue;
  readonly prescriber?: string;
  readonly dosage: readonly DoseInstruction[];
  readonly refills?: RefillInfo;
  readonly reasons: readonly Label[];
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Immunizations
// ---------------------------------------------------------------------------------------------------------------

export const IMMUNIZATION_STATUSES = ['completed', 'not-done'] as const;
export type ImmunizationStatus = (typeof IMMUNIZATION_STATUSES)[number];

export interface ImmunizationDose {
  readonly key: string;
  readonly id?: string;
  readonly vaccine: Label;
  /** CVX code (http://hl7.org/fhir/sid/cvx) when coded. */
  readonly cvx?: string;
  readonly date?: DateValue;
  /** protocolApplied.doseNumber (positiveInt or string, as text). */
  readonly doseNumber?: string;
  readonly seriesDoses?: string;
  readonly series?: string;
  readonly status?: ImmunizationStatus;
  /** Why a dose was not given (status not-done). */
  readonly statusReason?: Label;
  readonly lotNumber?: string;
  readonly primarySource?: boolean;
  readonly targetDiseases: readonly Label[];
  readonly performer?: string;
  readonly location?: string;
}

export interface ImmunizationGroup {
  readonly key: string;
  readonly vaccine: Label;
  readonly cvx?: string;
  /** Oldest first, doses without a date last. */
  readonly doses: readonly ImmunizationDose[];
}

export interface ImmunizationRecord {
  /** School-record order: groups by vaccine name (A→Z), doses by date within each. */
  readonly groups: readonly ImmunizationGroup[];
  /** Every dose, newest first (for the summary list). */
  readonly doses: readonly ImmunizationDose[];
}

// ---------------------------------------------------------------------------------------------------------------
// Test results (Observation, DiagnosticReport)
// ---------------------------------------------------------------------------------------------------------------

/** Closed interpretation set, from v3 ObservationInterpretation codes (see interpretation.ts for the table). */
export const INTERPRETATION_FLAGS = ['normal', 'high', 'low', 'critical-high', 'critical-low', 'abnormal'] as const;
export type InterpretationFlag = (typeof INTERPRETATION_FLAGS)[number];

export type ResultValue =
  | { readonly kind: 'quantity'; readonly quantity: QuantityValue }
  | { readonly kind: 'coded'; readonly label: Label; readonly codes: readonly CodingView[] }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'range'; readonly range: RangeValue }
  | { readonly kind: 'ratio'; readonly numerator?: QuantityValue; readonly denominator?: QuantityValue }
  | { readonly kind: 'datetime'; readonly date: DateValue }
  | { readonly kind: 'period'; readonly period: PeriodValue }
  /** Observation.dataAbsentReason: no value, and why. */
  | { readonly kind: 'absent'; readonly reason: Label };

export interface ReferenceRangeView {
  readonly low?: QuantityValue;
  readonly high?: QuantityValue;
  readonly text?: string;
  readonly type?: Label;
  readonly appliesTo: readonly Label[];
  readonly age?: RangeValue;
}

export interface ResultComponent {
  readonly key: string;
  readonly label: Label;
  readonly loinc?: string;
  readonly value?: ResultValue;
  readonly referenceRanges: readonly ReferenceRangeView[];
  readonly interpretation?: InterpretationFlag;
}

export interface ObservationResult {
  readonly key: string;
  readonly id?: string;
  readonly label: Label;
  readonly codes: readonly CodingView[];
  readonly loinc?: string;
  readonly status?: string;
  readonly effective?: DateValue;
  readonly issued?: DateValue;
  readonly value?: ResultValue;
  readonly referenceRanges: readonly ReferenceRangeView[];
  readonly interpretation?: InterpretationFlag;
  /** The EHR's own interpretation wording, when it gave one. */
  readonly interpretationText?: string;
  readonly components: readonly ResultComponent[];
  readonly notes: readonly string[];
}

export const REPORT_KINDS = ['lab', 'imaging', 'pathology', 'cardiology', 'note', 'other'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportView {
  readonly key: string;
  readonly id?: string;
  readonly kind: ReportKind;
  readonly label: Label;
  readonly codes: readonly CodingView[];
  readonly categories: readonly Label[];
  readonly status?: string;
  readonly effective?: DateValue;
  readonly issued?: DateValue;
  readonly performers: readonly string[];
  readonly conclusion?: string;
  readonly conclusionCodes: readonly Label[];
  readonly presentedForm: readonly AttachmentView[];
  /** The report's results, resolved from the same input (panels flattened one level), in the report's order. */
  readonly results: readonly ObservationResult[];
  readonly unsafeNarrativeXhtml?: string;
}

export interface ObservationDateGroup {
  readonly key: string;
  /** Calendar date (YYYY-MM-DD, or shorter when the effective date is partial) as written by the EHR; absent = undated. */
  readonly date?: string;
  readonly results: readonly ObservationResult[];
}

export interface TrendPoint {
  readonly time: DateValue;
  readonly value: number;
  readonly unit?: string;
  readonly low?: number;
  readonly high?: number;
  readonly interpretation?: InterpretationFlag;
  /** For growth: the measurement's percentile on the reference chart (0–100), when one applies. */
  readonly percentile?: number;
}

/** A reference curve drawn behind a series (growth percentiles): values at dates. */
export interface TrendCurve {
  readonly percentile: number;
  readonly points: ReadonlyArray<{ readonly at: string; readonly value: number }>;
}

export interface TrendSeries {
  readonly key: string;
  readonly loinc: string;
  readonly label: Label;
  /** The unit most points use. */
  readonly unit?: string;
  /** Oldest first. */
  readonly points: readonly TrendPoint[];
  /** Reference percentile curves (growth charts), drawn as dashed lines; none for lab tests. */
  readonly curves?: readonly TrendCurve[];
}

export interface TestResults {
  /** Lab reports, newest first. */
  readonly reports: readonly ReportView[];
  /** Lab observations no report claims, grouped by effective date, newest first. */
  readonly ungrouped: readonly ObservationDateGroup[];
  /** One series per LOINC code with at least two numeric results. */
  readonly trends: readonly TrendSeries[];
}

// ---------------------------------------------------------------------------------------------------------------
// Visits (Encounter) and documents (DocumentReference)
// ---------------------------------------------------------------------------------------------------------------

export interface VisitItem {
  readonly key: string;
  readonly id?: string;
  /** First Encounter.type, else serviceType, else class. */
  readonly label: Label;
  readonly types: readonly Label[];
  /** The codings of every Encounter.type (for plain visit words, plain-visit-words.ts). */
  readonly typeCodes?: readonly CodingView[];
  /** The codings of Encounter.serviceType. */
  readonly serviceTypeCodes?: readonly CodingView[];
  /** Encounter.class code (AMB, EMER, IMP, VR…). */
  readonly classCode?: string;
  readonly classLabel?: Label;
  readonly status?: string;
  readonly period: PeriodValue;
  readonly locations: readonly string[];
  readonly practitioners: readonly string[];
  readonly serviceType?: Label;
  readonly serviceProvider?: string;
  readonly reasons: readonly Label[];
  readonly unsafeNarrativeXhtml?: string;
}

export interface DocumentItem {
  readonly key: string;
  readonly id?: string;
  readonly type: Label;
  readonly categories: readonly Label[];
  readonly date?: DateValue;
  readonly authors: readonly string[];
  readonly description?: string;
  readonly status?: string;
  readonly attachments: readonly AttachmentView[];
  /** Encounter ids this document belongs to (context.encounter). */
  readonly encounterIds: readonly string[];
  /** v3 Confidentiality code from securityLabel (U, L, M, N, R, V), the most restrictive one given. */
  readonly confidentiality?: string;
  /** True only when the labels say so explicitly: a confidentiality of U, L, M or N and no R/V. No labels → false. */
  readonly nonConfidential: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------------------------------------------

export interface AppointmentItem {
  readonly key: string;
  readonly id?: string;
  readonly status?: string;
  /** ISO instants as written; the app formats them in the hospital time zone. */
  readonly start?: string;
  readonly end?: string;
  readonly minutesDuration?: number;
  readonly label: Label;
  readonly description?: string;
  readonly serviceTypes: readonly Label[];
  /** The codings of every Appointment.serviceType (for plain words, plain-visit-words.ts). */
  readonly serviceTypeCodes?: readonly CodingView[];
  readonly appointmentType?: Label;
  readonly reasons: readonly Label[];
  readonly locations: readonly string[];
  readonly practitioners: readonly string[];
  readonly patientInstruction?: string;
  /** An http(s) join URL for a virtual visit (see appointments.ts for the rule); never another scheme. */
  readonly virtualVisitUrl?: string;
}

export interface AppointmentLists {
  /** Start at or after asOf (and undated pending ones), soonest first. */
  readonly upcoming: readonly AppointmentItem[];
  /** Start before asOf, most recent first. */
  readonly past: readonly AppointmentItem[];
}

// ---------------------------------------------------------------------------------------------------------------
// Growth
// ---------------------------------------------------------------------------------------------------------------

export const GROWTH_MEASURES = ['weight', 'height', 'length', 'head-circumference', 'bmi'] as const;
export type GrowthMeasure = (typeof GROWTH_MEASURES)[number];

export interface GrowthPoint {
  readonly time: DateValue;
  /** Value in the canonical unit of the measure (kg, cm, kg/m2). */
  readonly value: number;
  readonly unit: 'kg' | 'cm' | 'kg/m2';
  /** The value as the EHR recorded it. */
  readonly recorded: QuantityValue;
  /** Whole days since birth when the birth date is known (for CDC/WHO charts). */
  readonly ageDays?: number;
}

export interface GrowthSeries {
  readonly key: string;
  readonly measure: GrowthMeasure;
  readonly unit: 'kg' | 'cm' | 'kg/m2';
  /** Oldest first. */
  readonly points: readonly GrowthPoint[];
}

export interface GrowthData {
  /** One series per measure that has at least one point, in GROWTH_MEASURES order. */
  readonly series: readonly GrowthSeries[];
}
