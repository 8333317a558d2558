/**
 * Conditional references (`"reference": "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999956490"`), as
 * Synthea writes them into patient transaction bundles, must be resolved to a literal `Type/id` before the bundle is
 * processed (FHIR R4 http.html#trules). Medplum's in-memory repository leaves them untouched, so this step does it:
 * first against the bundle's own entries (the reference becomes that entry's fullUrl, which the transaction then
 * rewrites), then against the repository. Zero or several matches fail the whole bundle, as the spec requires.
 */
import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { Bundle } from 'fhir/r4';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';

export class UnresolvableReferenceError extends Error {
  readonly reference: string;
  constructor(reference: string, matches: number) {
    super(`Conditional reference "${reference}" matched ${matches} resources; exactly one is required`);
    this.name = 'UnresolvableReferenceError';
    this.reference = reference;
  }
}

const CONDITIONAL_REFERENCE = /^[A-Z][A-Za-z]+\?.+/;

export function isConditionalReference(value: string): boolean {
  return CONDITIONAL_REFERENCE.test(value);
}

/** Every `reference` string inside a JSON value, with a setter so the caller can rewrite it in place. */
function collectReferences(value: unknown, found: Array<{ holder: Record<string, unknown>; reference: string }>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') found.push({ holder: record, reference: child });
    else collectReferences(child, found);
  }
}

export type ResourceSearch = (searchUrl: string) => Promise<ReadonlyArray<{ resourceType: string; id?: string }>>;

/**
 * Rewrites conditional references inside the bundle's resources (in place, on a copy the caller owns).
 * `search` runs a search against the server's current data.
 */
export async function resolveConditionalReferences(bundle: Bundle, search: ResourceSearch): Promise<void> {
  const resolved = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    if (!entry.resource) continue;
    const references: Array<{ holder: Record<string, unknown>; reference: string }> = [];
    collectReferences(entry.resource, references);
    for (const { holder, reference } of references) {
      if (!isConditionalReference(reference)) continue;
      let target = resolved.get(reference);
      if (target === undefined) {
        target = await resolveOne(bundle, reference, search);
        resolved.set(reference, target);
      }
      holder.reference = target;
    }
  }
}

async function resolveOne(bundle: Bundle, reference: string, search: ResourceSearch): Promise<string> {
  const request = parseSearchRequest(reference);
  const inBundle = (bundle.entry ?? []).filter(
    (entry) => entry.resource !== undefined && entry.resource.resourceType === request.resourceType
      && matchesSearchRequest(entry.resource as MedplumResource, request),
  );
  if (inBundle.length > 1) throw new UnresolvableReferenceError(reference, inBundle.length);
  const only = inBundle[0];
  if (only) {
    if (only.fullUrl) return only.fullUrl;
    if (only.resource?.id) return `${only.resource.resourceType}/${only.resource.id}`;
  }
  const matches = await search(reference);
  const match = matches[0];
  if (matches.length !== 1 || match?.id === undefined) throw new UnresolvableReferenceError(reference, matches.length);
  return `${match.resourceType}/${match.id}`;
}
