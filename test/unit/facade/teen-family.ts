/**
 * A small family for the leak-class tests (issue 8): a 15-year-old with visible and restricted care, and her infant
 * sister with weights and restricted results, both with their mother as guardian. "Hidden" records carry the
 * restricted confidentiality label (and a sensitive code), so what must be hidden does not depend on the classifier's
 * code lists. Under ca-adolescent-split the mother sees the teen's allow-list only (a document labelled
 * non-confidential); under ca-strict nothing of the teen's record. She sees the baby's record except what is restricted.
 */
import type { FhirResource } from 'fhir/r4';

export const NOW = Date.parse('2026-03-02T18:00:00Z');

const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const RESTRICTED = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }];
const VITALS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

/** Records the mother must never learn about (ids and display texts). */
export const TEEN_HIDDEN = [
  'Encounter/teen-clinic',
  'Condition/teen-chlamydia',
  'Observation/teen-naat-0',
  'Observation/teen-naat-1',
  'Observation/teen-naat-2',
  'Observation/teen-naat-3',
  'Observation/teen-labelled-only',
  'Observation/teen-versioned',
  'DocumentReference/teen-bh-note',
  'Binary/teen-bh-content',
  'Binary/teen-labelled-pdf',
  'Encounter/baby-clinic',
  'Observation/baby-restricted-0',
  'Observation/baby-restricted-1',
  'Observation/baby-restricted-2',
  'Observation/baby-restricted-3',
];
export const HIDDEN_TEXT = ['Chlamydia trachomatis infection', 'Chlamydia NAAT', 'Behavioral health note', 'Teen clinic visit'];

export function teenFamily(): FhirResource[] {
  const resources: FhirResource[] = [
    { resourceType: 'Patient', id: 'teen', birthDate: '2010-09-14', name: [{ family: 'Rivera', given: ['Isa'] }] },
    { resourceType: 'Patient', id: 'baby', birthDate: '2025-06-01', name: [{ family: 'Rivera', given: ['Ana'] }] },
    ...['teen', 'baby'].map(
      (child): FhirResource => ({
        resourceType: 'RelatedPerson',
        id: `mom-of-${child}`,
        active: true,
        patient: { reference: `Patient/${child}` },
        relationship: [{ coding: [{ system: ROLE, code: 'MTH' }] }],
        name: [{ family: 'Rivera', given: ['Maria'] }],
      }),
    ),
    { resourceType: 'Person', id: 'mom', name: [{ family: 'Rivera', given: ['Maria'] }], link: [{ target: { reference: 'RelatedPerson/mom-of-teen' } }, { target: { reference: 'RelatedPerson/mom-of-baby' } }] },
    { resourceType: 'Encounter', id: 'teen-well', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: 'Patient/teen' }, period: { start: '2026-01-05' } },
    {
      resourceType: 'Encounter',
      id: 'teen-clinic',
      meta: { security: RESTRICTED },
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ text: 'Teen clinic visit' }],
      subject: { reference: 'Patient/teen' },
      period: { start: '2026-02-01' },
    },
    {
      resourceType: 'Condition',
      id: 'teen-chlamydia',
      meta: { security: RESTRICTED },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'A56.0', display: 'Chlamydia trachomatis infection' }] },
      subject: { reference: 'Patient/teen' },
      encounter: { reference: 'Encounter/teen-clinic' },
      recordedDate: '2026-02-01',
    },
    {
      resourceType: 'Observation',
      id: 'teen-labelled-only',
      meta: { security: RESTRICTED },
      status: 'final',
      code: { text: 'Chlamydia NAAT' },
      subject: { reference: 'Patient/teen' },
      effectiveDateTime: '2026-02-01',
    },
    // Version 1 is plain; version 2 (made by teenFamilyUpdates) is restricted.
    { resourceType: 'Observation', id: 'teen-versioned', status: 'final', code: { text: 'Chlamydia NAAT' }, subject: { reference: 'Patient/teen' }, effectiveDateTime: '2026-02-01' },
    {
      resourceType: 'DocumentReference',
      id: 'teen-bh-note',
      meta: { security: RESTRICTED },
      status: 'current',
      type: { text: 'Behavioral health note' },
      subject: { reference: 'Patient/teen' },
      content: [{ attachment: { contentType: 'text/plain', url: 'Binary/teen-bh-content' } }],
    },
    // Its securityContext names the Patient: the only record carrying it is the hidden note.
    { resourceType: 'Binary', id: 'teen-bh-content', contentType: 'text/plain', securityContext: { reference: 'Patient/teen' }, data: Buffer.from('Behavioral health note text').toString('base64') },
    {
      resourceType: 'DocumentReference',
      id: 'teen-growth-note',
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] },
      status: 'current',
      type: { text: 'Growth chart' },
      subject: { reference: 'Patient/teen' },
      content: [
        { attachment: { contentType: 'application/pdf', url: 'Binary/teen-growth-pdf' } },
        { attachment: { contentType: 'application/pdf', url: 'Binary/teen-labelled-pdf' } },
        // Names a Binary the EHR does not have.
        { attachment: { contentType: 'application/pdf', url: 'Binary/teen-missing-pdf' } },
      ],
    },
    { resourceType: 'Binary', id: 'teen-growth-pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 growth').toString('base64') },
    // Carried by a visible note, but labelled restricted itself.
    { resourceType: 'Binary', id: 'teen-labelled-pdf', meta: { security: RESTRICTED }, contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 restricted').toString('base64') },
  ];
  for (let i = 0; i < 3; i += 1) {
    resources.push(weight('teen', `teen-weight-${i}`, i, 'Encounter/teen-well'));
    resources.push(weight('baby', `baby-weight-${i}`, i, undefined));
  }
  resources.push({
    resourceType: 'Encounter',
    id: 'baby-clinic',
    meta: { security: RESTRICTED },
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ text: 'Teen clinic visit' }],
    subject: { reference: 'Patient/baby' },
    period: { start: '2026-02-01' },
  });
  for (let i = 0; i < 4; i += 1) {
    resources.push({
      resourceType: 'Observation',
      id: `baby-restricted-${i}`,
      meta: { security: RESTRICTED },
      status: 'final',
      category: VITALS,
      code: { coding: [{ system: 'http://loinc.org', code: '21613-5', display: 'Chlamydia NAAT' }] },
      subject: { reference: 'Patient/baby' },
      encounter: { reference: 'Encounter/baby-clinic' },
      effectiveDateTime: `2026-02-0${1 + i}`,
    });
    resources.push({
      resourceType: 'Observation',
      id: `teen-naat-${i}`,
      meta: { security: RESTRICTED },
      status: 'final',
      category: VITALS,
      code: { coding: [{ system: 'http://loinc.org', code: '21613-5', display: 'Chlamydia NAAT' }] },
      subject: { reference: 'Patient/teen' },
      encounter: { reference: 'Encounter/teen-clinic' },
      effectiveDateTime: `2026-02-0${1 + i}`,
    });
  }
  return resources;
}

function weight(patient: string, id: string, i: number, encounter: string | undefined): FhirResource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: VITALS,
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: `Patient/${patient}` },
    ...(encounter === undefined ? {} : { encounter: { reference: encounter } }),
    effectiveDateTime: `2026-01-0${1 + i}`,
    valueQuantity: { value: 50 + i, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  };
}

/** The later, restricted version of Observation/teen-versioned (PUT after loading). */
export const TEEN_VERSIONED_V2: FhirResource = {
  resourceType: 'Observation',
  id: 'teen-versioned',
  meta: { security: RESTRICTED },
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '21613-5', display: 'Chlamydia NAAT' }] },
  subject: { reference: 'Patient/teen' },
  effectiveDateTime: '2026-02-01',
  valueString: 'positive',
};
