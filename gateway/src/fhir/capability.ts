/** What the facade serves, generated from the allow-list table (the upstream's own statement is never passed on). */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { NOT_FOUND_MESSAGE } from './outcome.ts';
import { PATIENT_SEARCH_PARAMETERS, PATIENT_TYPES, SHARED_TYPES } from './search-parameters.ts';

export function capabilityStatement(now: number): CapabilityStatement {
  const searchable: CapabilityStatementRestResource[] = Object.entries(PATIENT_TYPES).map(([type, rules]) => ({
    type: type as CapabilityStatementRestResource['type'],
    interaction: [{ code: 'read' as const }, { code: 'vread' as const }, { code: 'history-instance' as const }, { code: 'search-type' as const }],
    searchParam: [...rules.patientParameters.map((name) => ({ name, type: 'reference' as const })), ...Object.entries(rules.parameters).map(([name, type]) => ({ name, type }))],
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(now).toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    description: `Sprout's policy-enforcing FHIR facade: searches must name a patient; hidden and missing records both answer 404 ("${NOT_FOUND_MESSAGE}").`,
    rest: [
      {
        mode: 'server',
        resource: [
          {
            type: 'Patient',
            interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }, { code: 'search-type' }],
            searchParam: Object.entries(PATIENT_SEARCH_PARAMETERS).map(([name, type]) => ({ name, type })),
          },
          ...searchable,
          ...SHARED_TYPES.map((type): CapabilityStatementRestResource => ({ type: type as CapabilityStatementRestResource['type'], interaction: [{ code: 'read' }] })),
          { type: 'Binary', interaction: [{ code: 'read' }] },
        ],
        interaction: [{ code: 'batch' }],
      },
    ],
  };
}
