/**
 * Paging links for search results. Medplum's in-memory repository honours `_count` and `_offset` but writes no
 * `Bundle.link`, so a client could never walk past the first page. This pure function adds `self`, `first`,
 * `next` and `previous` links that repeat the original query with a new `_offset`.
 */
import type { BundleLink } from 'fhir/r4';

/** Medplum's defaults: 20 per page unless `_count` says otherwise, never more than 1000. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  /** Absolute URL of the search without query string, e.g. `http://127.0.0.1:8080/fhir/Observation`. */
  readonly searchUrl: string;
  /** The query parameters exactly as the client sent them (repeated keys kept). */
  readonly query: URLSearchParams;
  /** Number of entries with `search.mode = match` on this page. */
  readonly matchCount: number;
  /** `Bundle.total` when the engine reported it. */
  readonly total: number | undefined;
}

function lastInteger(query: URLSearchParams, name: string): number | undefined {
  const values = query.getAll(name);
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  const parsed = Number.parseInt(last, 10);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

export function pageSize(query: URLSearchParams): number {
  return Math.min(lastInteger(query, '_count') ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}

function linkWithOffset(request: PageRequest, offset: number): string {
  const query = new URLSearchParams(request.query);
  query.delete('_offset');
  if (offset > 0) query.set('_offset', String(offset));
  const text = query.toString();
  return text ? `${request.searchUrl}?${text}` : request.searchUrl;
}

export function buildPagingLinks(request: PageRequest): BundleLink[] {
  const count = pageSize(request.query);
  const offset = lastInteger(request.query, '_offset') ?? 0;
  const links: BundleLink[] = [{ relation: 'self', url: linkWithOffset(request, offset) }];
  if (count === 0) return links;
  links.push({ relation: 'first', url: linkWithOffset(request, 0) });
  const hasMore = request.total === undefined ? request.matchCount >= count : offset + count < request.total;
  if (hasMore) links.push({ relation: 'next', url: linkWithOffset(request, offset + count) });
  if (offset > 0) links.push({ relation: 'previous', url: linkWithOffset(request, Math.max(0, offset - count)) });
  return links;
}
