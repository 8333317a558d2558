/**
 * A minimal family for the facade's fault and equivalence tests: one infant, her mother (RelatedPerson grant), an
 * adult-less infant record with a few observations, a document with a Binary, and a patient without birthDate.
 * The leak suite uses the project's full family fixture instead.
 */
import type { FhirResource } from 'fhir/r4';

export const NOW = Date.parse('2026-03-02T18:00:00Z');

const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

export function miniFamily(): FhirResource[] {
  const resources: FhirResource[] = [
    { resourceType: 'Patient', id: 'infant', birthDate: '2025-06-01', name: [{ family: 'Rivera', given: ['Ana'] }] },
    { resourceType: 'Patient', id: 'no-birthdate', name: [{ family: 'Rivera', given: ['Unknown'] }] },
    {
      resourceType: 'RelatedPerson',
      id: 'mom',
      active: true,
      patient: { reference: 'Patient/infant' },
      relationship: [{ coding: [{ system: ROLE, code: 'MTH' }] }],
      name: [{ family: 'Rivera', given: ['Maria'] }],
    },
    {
      resourceType: 'RelatedPerson',
      id: 'mom-of-unknown',
      active: true,
      patient: { reference: 'Patient/no-birthdate' },
      relationship: [{ coding: [{ system: ROLE, code: 'MTH' }] }],
    },
    { resourceType: 'Practitioner', id: 'dr-lee', name: [{ family: 'Lee' }] },
    {
      resourceType: 'Binary',
      id: 'growth-pdf',
      contentType: 'application/pdf',
      securityContext: { reference: 'DocumentReference/growth-note' },
      data: Buffer.from('%PDF-1.4 growth chart').toString('base64'),
    },
    {
      resourceType: 'DocumentReference',
      id: 'growth-note',
      status: 'current',
      subject: { reference: 'Patient/infant' },
      content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/growth-pdf' } }],
    },
    {
      resourceType: 'Observation',
      id: 'unknown-weight',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      subject: { reference: 'Patient/no-birthdate' },
      valueQuantity: { value: 4, unit: 'kg' },
    },
  ];
  for (let i = 0; i < 12; i += 1) {
    resources.push({
      resourceType: 'Observation',
      id: `weight-${i}`,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
      subject: { reference: 'Patient/infant' },
      performer: [{ reference: 'Practitioner/dr-lee' }],
      effectiveDateTime: `2025-${String(7 + (i % 6)).padStart(2, '0')}-0${1 + (i % 9)}`,
      valueQuantity: { value: 3.5 + i / 4, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    });
  }
  return resources;
}
