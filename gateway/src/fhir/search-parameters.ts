/**
 * The facade's allow-list, as data: which resource types it serves, where each keeps its patient reference, and which
 * search parameters it can vouch for. Anything not in these tables is refused (400), because a parameter the facade
 * does not understand could select on hidden data (a chain, `_has`) or change what the server returns (`_summary`).
 *
 * Source for every parameter name and element: the FHIR R4 search parameter registry
 * (http://hl7.org/fhir/R4/searchparameter-registry.html) and the Patient CompartmentDefinition
 * (http://hl7.org/fhir/R4/compartmentdefinition-patient.html). Entries are the subset the portal needs; add a row (with
 * its source) to serve more — never a wildcard.
 */

export const PARAMETER_KINDS = ['token', 'date', 'string', 'reference', 'quantity', 'uri', 'number'] as const;
export type ParameterKind = (typeof PARAMETER_KINDS)[number];

/** Modifiers that only narrow within the same resource (no chaining, no type modifiers on references). */
export const ALLOWED_MODIFIERS: Readonly<Record<ParameterKind, readonly string[]>> = {
  token: ['not', 'text', 'missing'],
  date: ['missing'],
  string: ['exact', 'contains', 'missing'],
  // ":Patient", ":identifier" and chains are all modifiers on references: none is allowed.
  reference: ['missing'],
  quantity: ['missing'],
  uri: ['missing'],
  number: ['missing'],
};

export interface PatientTypeRules {
  /** Element paths (dot-separated, arrays walked) that hold the patient reference, in the Patient compartment. */
  readonly patientElements: readonly string[];
  /** Search parameters that scope a search to one patient (their value must be a permitted Patient). */
  readonly patientParameters: readonly string[];
  /** Everything else the facade accepts on this type. */
  readonly parameters: Readonly<Record<string, ParameterKind>>;
}

/** Common to every type (R4 "Parameters for all resources", minus `_has`, `_query`, `_filter`, `_text`, `_content`, `_list`). */
const COMMON: Readonly<Record<string, ParameterKind>> = { _id: 'token', _lastUpdated: 'date' };

/** Patient-compartment types the facade serves. Patient itself is handled separately (it is its own compartment). */
export const PATIENT_TYPES: Readonly<Record<string, PatientTypeRules>> = {
  // R4 AllergyIntolerance search parameters; compartment: patient, recorder, asserter (patient only here).
  AllergyIntolerance: {
    patientElements: ['patient'],
    patientParameters: ['patient'],
    parameters: { ...COMMON, 'clinical-status': 'token', category: 'token', code: 'token', criticality: 'token', date: 'date', 'verification-status': 'token', type: 'token' },
  },
  // R4 Appointment; compartment: actor (participant.actor).
  Appointment: {
    patientElements: ['participant.actor'],
    patientParameters: ['patient', 'actor'],
    parameters: { ...COMMON, date: 'date', status: 'token', 'service-type': 'token', 'appointment-type': 'token', specialty: 'token', practitioner: 'reference', location: 'reference' },
  },
  // R4 CarePlan; compartment: patient/subject.
  CarePlan: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', status: 'token', date: 'date', intent: 'token' },
  },
  // R4 CareTeam; compartment: patient/subject.
  CareTeam: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', status: 'token', date: 'date' },
  },
  // R4 Communication; compartment: subject (sender/recipient not used: they name people, not the record).
  Communication: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', status: 'token', sent: 'date', received: 'date' },
  },
  // R4 Condition; compartment: patient/subject.
  Condition: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', 'clinical-status': 'token', 'verification-status': 'token', code: 'token', 'onset-date': 'date', 'recorded-date': 'date', encounter: 'reference' },
  },
  // R4 DiagnosticReport; compartment: subject.
  DiagnosticReport: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', code: 'token', date: 'date', issued: 'date', status: 'token', encounter: 'reference', result: 'reference', performer: 'reference' },
  },
  // R4 DocumentReference; compartment: subject.
  DocumentReference: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', type: 'token', date: 'date', status: 'token', encounter: 'reference', author: 'reference' },
  },
  // R4 Encounter; compartment: patient/subject.
  Encounter: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, class: 'token', date: 'date', status: 'token', type: 'token', 'service-type': 'token', practitioner: 'reference', location: 'reference', 'service-provider': 'reference' },
  },
  // R4 Goal; compartment: patient/subject.
  Goal: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, 'lifecycle-status': 'token', category: 'token', 'target-date': 'date' },
  },
  // R4 Immunization; compartment: patient.
  Immunization: {
    patientElements: ['patient'],
    patientParameters: ['patient'],
    parameters: { ...COMMON, date: 'date', status: 'token', 'vaccine-code': 'token', performer: 'reference', location: 'reference' },
  },
  // R4 MedicationRequest; compartment: subject.
  MedicationRequest: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, status: 'token', intent: 'token', category: 'token', code: 'token', authoredon: 'date', encounter: 'reference', requester: 'reference', medication: 'reference' },
  },
  // R4 MedicationStatement; compartment: subject.
  MedicationStatement: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, status: 'token', category: 'token', code: 'token', effective: 'date' },
  },
  // R4 Observation; compartment: subject (performer not used: a patient performing an observation is not its subject).
  Observation: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', code: 'token', date: 'date', status: 'token', encounter: 'reference', 'value-quantity': 'quantity', 'has-member': 'reference', performer: 'reference' },
  },
  // R4 Procedure; compartment: patient/subject.
  Procedure: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', code: 'token', date: 'date', status: 'token', encounter: 'reference' },
  },
  // R4 ServiceRequest; compartment: subject.
  ServiceRequest: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, category: 'token', code: 'token', status: 'token', intent: 'token', authored: 'date' },
  },
  // R4 Task; compartment: for ("patient" = Task.for when it is a Patient). The family's own care requests (issue 12).
  Task: {
    patientElements: ['for'],
    patientParameters: ['patient'],
    parameters: { ...COMMON, status: 'token', code: 'token', intent: 'token', 'authored-on': 'date', focus: 'reference' },
  },
  // R4 Account, Invoice, ChargeItem; compartment: subject. Bills (issue 13): the policy shows line items (Invoice,
  // ChargeItem) only where the profile's bills feature is "full" (policy/resource.ts).
  Account: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, status: 'token', type: 'token', identifier: 'token' },
  },
  Invoice: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, status: 'token', date: 'date', account: 'reference', identifier: 'token' },
  },
  ChargeItem: {
    patientElements: ['subject'],
    patientParameters: ['patient', 'subject'],
    parameters: { ...COMMON, code: 'token', account: 'reference', 'entered-date': 'date' },
  },
};

/** Patient type search: only within the principal's permitted patients (see facade.ts, "Patient searches"). */
export const PATIENT_SEARCH_PARAMETERS: Readonly<Record<string, ParameterKind>> = {
  ...COMMON,
  name: 'string',
  family: 'string',
  given: 'string',
  birthdate: 'date',
  gender: 'token',
  identifier: 'token',
};

/**
 * Types outside any patient compartment that may be READ (never searched) when a visible resource points to them:
 * practitioners, organisations, places and drug definitions. They hold no patient data.
 */
export const SHARED_TYPES: readonly string[] = ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication'];

/** Result parameters the facade understands. Everything else starting with "_" is refused. */
export const RESULT_PARAMETERS = ['_count', '_sort', '_include', '_revinclude', '_elements', '_summary', '_total', '_format'] as const;

/** Refused outright, with the reason shown to the caller (a fixed text, never data). */
export const REFUSED_PARAMETERS: Readonly<Record<string, string>> = {
  _has: 'Reverse chaining (_has) is not supported by this gateway.',
  _filter: '_filter is not supported by this gateway.',
  _query: 'Named queries (_query) are not supported by this gateway.',
  _text: 'Narrative search (_text) is not supported by this gateway.',
  _content: 'Full-text search (_content) is not supported by this gateway.',
  _list: 'List-based search (_list) is not supported by this gateway.',
  _containedType: 'Contained-resource search is not supported by this gateway.',
  _contained: 'Contained-resource search is not supported by this gateway.',
  _offset: 'Use the next link to page; _offset is not supported by this gateway.',
  _getpages: 'Paging links of the FHIR server are not accepted; use the next link this gateway returns.',
  _getpagesoffset: 'Paging links of the FHIR server are not accepted; use the next link this gateway returns.',
  _type: 'Multi-type searches are not supported by this gateway.',
  _security: 'Searching by security label is not supported by this gateway.',
  _tag: 'Searching by tag is not supported by this gateway.',
  _profile: 'Searching by profile is not supported by this gateway.',
  _source: 'Searching by source is not supported by this gateway.',
};

export function isServedType(type: string): boolean {
  return type === 'Patient' || Object.hasOwn(PATIENT_TYPES, type) || SHARED_TYPES.includes(type);
}

/** The search parameters this type accepts (patient-scope parameters are reported separately). */
export function parametersFor(type: string): Readonly<Record<string, ParameterKind>> | undefined {
  if (type === 'Patient') return PATIENT_SEARCH_PARAMETERS;
  return PATIENT_TYPES[type]?.parameters;
}

/**
 * Target types of the reference parameters above (R4 search parameter registry). The facade reads and judges the
 * record a reference value names before searching with it (facade-search.ts); a bare id is made a relative reference
 * when the parameter has one target type, and refused when it has several that hold patient data.
 */
const REFERENCE_TARGETS: Readonly<Record<string, readonly string[]>> = {
  practitioner: ['Practitioner'],
  location: ['Location'],
  'service-provider': ['Organization'],
  medication: ['Medication'],
  encounter: ['Encounter'],
  result: ['Observation'],
  'has-member': ['Observation', 'QuestionnaireResponse', 'MolecularSequence'],
  performer: ['Practitioner', 'PractitionerRole', 'Organization', 'CareTeam', 'Patient', 'RelatedPerson'],
  author: ['Practitioner', 'PractitionerRole', 'Organization', 'Device', 'Patient', 'RelatedPerson'],
  requester: ['Practitioner', 'PractitionerRole', 'Organization', 'Device', 'Patient', 'RelatedPerson'],
};

/** The types a reference parameter of `type` may name, or undefined when `name` is not a reference parameter there. */
export function referenceTargetTypes(type: string, name: string): readonly string[] | undefined {
  if (parametersFor(type)?.[name] !== 'reference') return undefined;
  return REFERENCE_TARGETS[name] ?? [];
}
