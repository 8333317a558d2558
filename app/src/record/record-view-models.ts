/**
 * Turns what a section loaded into the view models its element takes, through fhir-mappings only (the app never
 * reads raw FHIR fields). Pure given `asOf` and `timeZone`; parts the scope does not include stay undefined.
 */
import type { FhirResource } from 'fhir/r4';
import {
  mapAllergies,
  mapAppointments,
  mapDocuments,
  mapEmergencyContacts,
  mapGrowth,
  mapHealthIssues,
  mapImmunizations,
  mapMedications,
  mapOtherReports,
  mapPatientBanner,
  mapTestResults,
  mapVisits,
} from '../../../fhir-mappings/src/index.ts';
import type {
  AllergyList,
  AppointmentLists,
  DocumentItem,
  EmergencyContact,
  GrowthData,
  HealthIssue,
  ImmunizationRecord,
  MedicationItem,
  PatientBanner,
  ReportView,
  TestResults,
  VisitItem,
} from '../../../fhir-mappings/src/index.ts';
import type { RecordQueryName, SectionPages } from './record-data.ts';

export interface SectionViewModels {
  readonly banner?: PatientBanner;
  /** Patient.contact: the people to call, for the emergency card. */
  readonly contacts: readonly EmergencyContact[];
  readonly issues?: readonly HealthIssue[];
  readonly allergies?: AllergyList;
  readonly medications?: readonly MedicationItem[];
  readonly immunizations?: ImmunizationRecord;
  readonly growth?: GrowthData;
  readonly results?: TestResults;
  readonly otherReports?: readonly ReportView[];
  readonly visits?: readonly VisitItem[];
  readonly documents?: readonly DocumentItem[];
  readonly appointments?: AppointmentLists;
}

export function buildViewModels(
  patient: FhirResource,
  pages: SectionPages,
  asOf: Date,
  timeZone: string,
): SectionViewModels {
  const has = (name: RecordQueryName): readonly FhirResource[] | undefined => pages[name]?.resources;
  const with_ = <T>(name: RecordQueryName, map: (resources: readonly FhirResource[]) => T): T | undefined => {
    const resources = has(name);
    return resources === undefined ? undefined : map(resources);
  };
  const birthDate = patient.resourceType === 'Patient' ? patient.birthDate : undefined;
  return {
    banner: mapPatientBanner([patient], asOf, timeZone),
    contacts: patient.resourceType === 'Patient' ? mapEmergencyContacts(patient, asOf) : [],
    issues: with_('conditions', (r) => mapHealthIssues(r)),
    allergies: with_('allergies', (r) => mapAllergies(r)),
    medications: with_('medications', (r) => mapMedications(r)),
    immunizations: with_('immunizations', (r) => mapImmunizations(r)),
    growth: with_('vitalSigns', (r) => mapGrowth(r, birthDate)),
    // Lab observations and reports are mapped together so each report finds its results.
    results: has('labObservations') ? mapTestResults([...(has('labObservations') ?? []), ...(has('reports') ?? [])]) : undefined,
    otherReports: has('labObservations') ? undefined : with_('reports', (r) => mapOtherReports(r)),
    visits: with_('encounters', (r) => mapVisits(r)),
    documents: with_('documents', (r) => mapDocuments(r)),
    appointments: with_('appointments', (r) => mapAppointments(r, asOf)),
  };
}
