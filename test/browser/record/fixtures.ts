/** A small infant record and session views for the record page tests (dates fixed; asOf is the real clock). */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { SessionPatientView, SessionView } from '../../../app/src/api/session.ts';

export const PATIENT_ID = 'infant-1';
const subject = { reference: `Patient/${PATIENT_ID}` };

export function searchset(resources: FhirResource[], next?: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.map((resource) => ({ fullUrl: `http://127.0.0.1/fhir/${resource.resourceType}/${resource.id}`, resource })),
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  };
}

export const patient: FhirResource = {
  resourceType: 'Patient',
  id: PATIENT_ID,
  name: [{ use: 'official', given: ['Lucía'], family: 'Reyes' }],
  birthDate: '2024-01-15',
  gender: 'female',
  identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'MRN-00417' }],
};

export const allergy: FhirResource = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  patient: subject,
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
  code: { text: 'Peanut' },
  criticality: 'high',
  reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'moderate' }],
};

export const immunizations: FhirResource[] = [
  {
    resourceType: 'Immunization',
    id: 'i1',
    status: 'completed',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'Hep B, adolescent or pediatric' }] },
    occurrenceDateTime: '2024-01-16',
    protocolApplied: [{ doseNumberPositiveInt: 1 }],
  },
  {
    resourceType: 'Immunization',
    id: 'i2',
    status: 'completed',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'Hep B, adolescent or pediatric' }] },
    occurrenceDateTime: '2024-03-15',
    protocolApplied: [{ doseNumberPositiveInt: 2 }],
  },
];

/** Doses that must never reach the school print: one not given, one entered in error. And a combination vaccine
 * given late in the evening (UTC next day) that counts for polio, DTaP and hepatitis B on the Los Angeles calendar day. */
export const schoolImmunizations: FhirResource[] = [
  ...immunizations,
  {
    resourceType: 'Immunization',
    id: 'i3',
    status: 'completed',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '110', display: 'DTaP-hepatitis B and poliovirus vaccine' }] },
    occurrenceDateTime: '2024-05-16T03:30:00Z',
  },
  {
    resourceType: 'Immunization',
    id: 'i4',
    status: 'not-done',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '141', display: 'Influenza, seasonal' }] },
    statusReason: { text: 'Parent declined' },
    occurrenceDateTime: '2024-10-01T10:15:00-07:00',
  },
  {
    resourceType: 'Immunization',
    id: 'i5',
    status: 'completed',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '141', display: 'Influenza, seasonal' }] },
    occurrenceDateTime: '2024-10-20T09:05:00-07:00',
  },
];

export const whiteCells: FhirResource = {
  resourceType: 'Observation',
  id: 'wbc1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count' }] },
  subject,
  effectiveDateTime: '2024-09-01',
  valueQuantity: { value: 16.2, unit: '10*3/uL', system: 'http://unitsofmeasure.org', code: '10*3/uL' },
  referenceRange: [{ low: { value: 5, unit: '10*3/uL' }, high: { value: 19.5, unit: '10*3/uL' } }],
};

export const checkUp: FhirResource = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }] }],
  serviceType: { coding: [{ system: 'http://snomed.info/sct', code: '394537008', display: 'Pediatric specialty' }] },
  subject,
  period: { start: '2024-07-15T09:00:00-07:00', end: '2024-07-15T09:40:00-07:00' },
};

export const bookedVisit: FhirResource = {
  resourceType: 'Appointment',
  id: 'ap1',
  status: 'booked',
  description: '12-month well-child visit',
  serviceType: [{ coding: [{ system: 'http://snomed.info/sct', code: '394537008', display: 'Pediatric specialty' }] }],
  start: '2099-01-15T10:30:00-08:00',
  end: '2099-01-15T11:00:00-08:00',
  patientInstruction: 'To reschedule, call (714) 509-8460.',
  participant: [{ actor: { reference: `Patient/${PATIENT_ID}`, display: 'Lucía Reyes' }, status: 'accepted' }],
};

export const noKnownAllergies: FhirResource = {
  resourceType: 'AllergyIntolerance',
  id: 'nka',
  patient: subject,
  code: { coding: [{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }] },
  recordedDate: '2024-08-09',
};

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A discharge note (plain text through Binary), an HTML visit summary with hostile markup (inline data), a PDF. */
export const documents: FhirResource[] = [
  {
    resourceType: 'DocumentReference',
    id: 'd1',
    status: 'current',
    subject,
    type: { text: 'Discharge instructions' },
    date: '2024-09-02T17:00:00-07:00',
    author: [{ display: 'Dr. Priya Shah' }],
    content: [{ attachment: { contentType: 'text/plain', url: 'Binary/doc-text', title: 'Going home after bronchiolitis' } }],
  },
  {
    resourceType: 'DocumentReference',
    id: 'd2',
    status: 'current',
    subject,
    type: { text: 'Visit summary' },
    date: '2024-07-15',
    content: [
      {
        attachment: {
          contentType: 'text/html',
          title: 'Check-up summary',
          data: b64('<h1>Check-up</h1><p onclick="alert(1)">Growing well.</p><script>window.pwned = true</script><img src="https://tracker.example/x.png">'),
        },
      },
    ],
  },
  {
    resourceType: 'DocumentReference',
    id: 'd3',
    status: 'current',
    subject,
    type: { text: 'Referral letter' },
    date: '2024-06-01',
    content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/doc-pdf', title: 'Referral' } }],
  },
];

export const binaries: Record<string, FhirResource> = {
  'doc-text': {
    resourceType: 'Binary',
    id: 'doc-text',
    contentType: 'text/plain',
    data: b64('Offer small, frequent feeds.\nIf breathing is fast or lips look blue, call (714) 509-8460 or 911.'),
  },
  'doc-pdf': { resourceType: 'Binary', id: 'doc-pdf', contentType: 'application/pdf', data: b64('%PDF-1.4 referral') },
};

function potassium(id: string, date: string, value: number, flag: 'H' | 'N'): FhirResource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }], text: 'Potassium' },
    subject,
    effectiveDateTime: date,
    valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.0, unit: 'mmol/L' } }],
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: flag }] }],
  };
}

export const labObservations: FhirResource[] = [potassium('k1', '2024-06-01', 4.2, 'N'), potassium('k2', '2024-09-01', 5.8, 'H')];

export const labReport: FhirResource = {
  resourceType: 'DiagnosticReport',
  id: 'r1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
  code: { text: 'Basic metabolic panel' },
  subject,
  effectiveDateTime: '2024-09-01',
  result: [{ reference: 'Observation/k2' }],
  conclusion: 'Potassium slightly high; repeat in one month.',
};

const noFeatures = { viewRecord: false, messages: true, appointmentRequests: true, renewals: false, bills: 'balance-only' } as const;

export function sessionFor(level: SessionPatientView['access']['level']): SessionView {
  const access: SessionPatientView['access'] =
    level === 'full'
      ? { level, messageKey: 'guardian-child', features: { ...noFeatures, viewRecord: true, renewals: true, bills: 'full' } }
      : level === 'allow-listed'
        ? { level, messageKey: 'guardian-teen-allow-listed', features: { ...noFeatures, viewRecord: true } }
        : { level, messageKey: 'guardian-teen-no-online-access', features: noFeatures, nextChange: { localDate: '2031-05-04', level: 'none', messageKey: 'guardian-adult-child' } };
  return {
    signedIn: true,
    user: { name: 'Ana Reyes', fhirUser: 'http://127.0.0.1/fhir/RelatedPerson/rp1', kind: 'RelatedPerson' },
    patients: [{ id: PATIENT_ID, name: 'Lucía Reyes', birthDate: '2024-01-15', gender: 'female', relationship: 'guardian', access }],
    needPatientBanner: true,
    openServerMode: false,
    profile: { id: 'ca-adolescent-split', timeZone: 'America/Los_Angeles', himPhone: '(323) 555-0100', hospitalName: 'Sprout Children’s' },
    idleExpiresAt: Date.now() + 20 * 60_000,
    idleTimeoutSeconds: 1200,
    csrfToken: 'test-csrf',
  };
}
