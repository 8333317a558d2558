/**
 * How the facade reads the entries of an upstream search or history page it did not write. Public servers send
 * entries without a resource (deleted versions), outcomes, includes — and sometimes garbage: `null`, strings, resources
 * without a resourceType or id, ids that are not FHIR ids. Garbage is never shown: the facade skips it and records it
 * as withheld ('malformed-entry') in the request's audit record, and answers the rest of the page.
 *
 * Paging offsets (expired-page.ts) count matches with the same rule, so a re-run search skips to the same entry.
 */
import type { Resource } from 'fhir/r4';

/** 'match' and 'include' carry something in `resource` (well-formed or not); 'none' has nothing to show or count. */
export type PagedEntryKind = 'match' | 'include' | 'none' | 'malformed';

export function pagedEntryKind(entry: unknown): PagedEntryKind {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'malformed';
  const { resource, search } = entry as { resource?: unknown; search?: unknown };
  if (resource === undefined || resource === null) return 'none'; // e.g. a deleted version in a history
  const mode = typeof search === 'object' && search !== null ? (search as { mode?: unknown }).mode : undefined;
  if (mode === 'outcome') return 'none';
  return mode === 'include' ? 'include' : 'match';
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/** FHIR R4 id: 1–64 of A–Z, a–z, 0–9, '-' and '.'. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The resource when it is a JSON object with a resourceType and a FHIR id; undefined when it cannot be judged. */
export function wellFormedResource(value: unknown): Resource | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { resourceType, id } = value as { resourceType?: unknown; id?: unknown };
  if (typeof resourceType !== 'string' || !RESOURCE_TYPE.test(resourceType)) return undefined;
  if (typeof id !== 'string' || !FHIR_ID.test(id)) return undefined;
  return value as Resource;
}
