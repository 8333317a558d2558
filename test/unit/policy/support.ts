/** Helpers shared by the policy tests: bundle loading, a resolver over loaded resources, principals. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bundle, Patient, RelatedPerson, Resource } from 'fhir/r4';
import type { Principal, PrincipalKind, ReferenceResolver } from '../../../gateway/src/policy/index.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
/** The shared public fixtures, next to the checkout (never copied into the repo). */
export const EXTERNAL_DIR = resolve(REPO_ROOT, '../shared/fixtures/external');
export const CASES_DIR = join(REPO_ROOT, 'fixtures/policy-cases');

export function principalFor(reference: string): Principal {
  const kind = reference.split('/')[0] as PrincipalKind;
  return { fhirUser: `https://ehr.example.org/fhir/${reference}`, reference, kind, scopes: ['openid', 'fhirUser'] };
}

export interface LoadedBundle {
  readonly file: string;
  readonly resources: readonly Resource[];
  readonly resolve: ReferenceResolver;
  readonly patient: Patient | undefined;
}

/** Loads a bundle and indexes its entries by fullUrl and by "Type/id" for reference resolution. */
export function loadBundle(path: string): LoadedBundle {
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as Bundle;
  const index = new Map<string, Resource>();
  const resources: Resource[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource) continue;
    resources.push(resource);
    if (entry.fullUrl) index.set(entry.fullUrl, resource);
    if (resource.id) index.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
  return { file: path, resources, resolve: (ref) => index.get(ref), patient };
}

export function externalBundleFiles(): string[] {
  if (!existsSync(EXTERNAL_DIR)) return [];
  return readdirSync(EXTERNAL_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'MANIFEST.json')
    .sort();
}

export function guardianOf(patient: Patient, id = 'test-parent'): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    id,
    active: true,
    patient: { reference: `Patient/${patient.id}` },
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] }],
  };
}
