/**
 * fhir-mappings: pure, total FHIR R4 → view-model functions shared by the app and the gateway.
 * Every export is named here; nothing else in this folder is public.
 *
 * Mappers take `input`: a FHIR Bundle or an array of resources, as the gateway facade returns them (or a
 * ResourceIndex from indexResources(), to map one response several ways without re-indexing).
 */
export type {
  Label,
  CodingView,
  DatePrecision,
  DateValue,
  PeriodValue,
  QuantityComparator,
  QuantityValue,
  RangeValue,
  AttachmentView,
  AgeUnit,
  Age,
  AdministrativeGender,
  IdentifierView,
  PatientBanner,
  ConditionClinicalStatus,
  ConditionVerificationStatus,
  OnsetValue,
  HealthIssue,
  AllergySeverity,
  AllergyCriticality,
  AllergyClinicalStatus,
  AllergyVerificationStatus,
  AllergyCategory,
  NoKnownAllergyKind,
  AllergyReactionView,
  AllergyItem,
  NoKnownAllergyStatement,
  AllergyList,
  MedicationRequestStatus,
  TimingPeriodUnit,
  TimingParts,
  DoseInstruction,
  RefillInfo,
  MedicationItem,
  ImmunizationStatus,
  ImmunizationDose,
  ImmunizationGroup,
  ImmunizationRecord,
  InterpretationFlag,
  ResultValue,
  ReferenceRangeView,
  ResultComponent,
  ObservationResult,
  ReportKind,
  ReportView,
  ObservationDateGroup,
  TrendPoint,
  TrendSeries,
  TrendCurve,
  TestResults,
  VisitItem,
  DocumentItem,
  AppointmentItem,
  AppointmentLists,
  GrowthMeasure,
  GrowthPoint,
  GrowthSeries,
  GrowthData,
} from './view-models.ts';
export {
  DATE_PRECISIONS,
  QUANTITY_COMPARATORS,
  AGE_UNITS,
  ADMINISTRATIVE_GENDERS,
  CONDITION_CLINICAL_STATUSES,
  CONDITION_VERIFICATION_STATUSES,
  ALLERGY_SEVERITIES,
  ALLERGY_CRITICALITIES,
  ALLERGY_CLINICAL_STATUSES,
  ALLERGY_VERIFICATION_STATUSES,
  ALLERGY_CATEGORIES,
  NO_KNOWN_ALLERGY_KINDS,
  MEDICATION_REQUEST_STATUSES,
  TIMING_PERIOD_UNITS,
  IMMUNIZATION_STATUSES,
  INTERPRETATION_FLAGS,
  REPORT_KINDS,
  GROWTH_MEASURES,
} from './view-models.ts';

export { ageAt, calendarDateIn, type CalendarDate } from './age.ts';
export { indexResources, resolveReference, referenceText, type MapperInput, type ResourceIndex } from './input.ts';
export {
  UNKNOWN_LABEL,
  labelOf,
  labelText,
  compareLabels,
  codingText,
  codingLabel,
  codeableConceptText,
  codeableConceptLabel,
  codingsOf,
  formatHumanName,
  preferredName,
  periodValue,
  quantityValue,
  rangeValue,
  attachmentView,
  referenceDisplay,
  unsafeNarrative,
} from './display.ts';
export { dateValue, sortTime } from './safe.ts';
export { mapPatientBanner, mapPatient, medicalRecordNumber, initialsOf } from './patient.ts';
export { mapHealthIssues, mapCondition } from './conditions.ts';
export { mapAllergies, mapAllergy, noKnownAllergyKind } from './allergies.ts';
export { mapMedications, mapMedicationRequest, doseInstruction, timingParts, refillInfo } from './medications.ts';
export { mapImmunizations, mapImmunization } from './immunizations.ts';
export { mapObservation, interpretationFlag, resultValue, referenceRanges } from './observations.ts';
export { mapTestResults, mapOtherReports, mapReport, reportKind, trendSeries } from './reports.ts';
export { mapVisits, mapEncounter, mapDocuments, mapDocumentReference, confidentialityOf } from './visits.ts';
export { mapAppointments, mapAppointment, virtualVisitUrl, R5_VIRTUAL_SERVICE_EXTENSION, VIRTUAL_VISIT_EXTENSION_URLS } from './appointments.ts';
export { mapGrowth, growthMeasureOf } from './growth.ts';
export { healthLibraryUrl, HEALTH_LIBRARY_BASE_URL } from './health-library.ts';
export { plainTestName, consumerTestName, plainLanguage, PLAIN_TEST_NAME_CODES, type PlainLanguage, type TestNames } from './plain-lab-names.ts';
export { resultContext, testMeasures, type RangePosition, type ResultContext, type Trend } from './result-context.ts';
export { plainUnit } from './plain-units.ts';
export { plainVisitWords, plainAppointmentWords, plainVisitClass, plainCodedWord, type PlainVisitWords, type PlainAppointmentWords } from './plain-visit-words.ts';
export { schoolImmunizationRows, schoolRowsOf, SCHOOL_FORM_ROWS, type SchoolFormRow, type SchoolVaccineRow, type SchoolDose } from './school-immunizations.ts';
export { mapEmergencyContacts, type EmergencyContact } from './emergency-contacts.ts';
export { growthPercentile, percentileCurves, lmsAt, zScore, valueAtZ, normalCdf, zForPercentile, DAYS_PER_MONTH, type Lms, type PercentileCurve } from './growth-percentiles.ts';
