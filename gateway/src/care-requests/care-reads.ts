/**
 * Reads the care-request actions need, through the session's upstream, every resource judged by the request's
 * policy before anything about it is used or shown. A hidden or absent record reads as undefined — the caller
 * answers both the same way, so nothing tells a person that a record they may not see exists.
 */
import type { Bundle, FhirResource, Resource } from 'fhir/r4';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import { UpstreamError, type FhirUpstream } from '../fhir/upstream.ts';

/** Searches are small here (one patient's requests); more than this many pages fails closed. */
const MAX_PAGES = 10;

export async function searchAll<T extends FhirResource>(upstream: FhirUpstream, query: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = query;
  for (let page = 0; next !== undefined; page += 1) {
    if (page >= MAX_PAGES) throw new UpstreamError('bad-status', `search ${query.split('?')[0] ?? ''} has too many pages`);
    const result = await upstream.getJson(next);
    if (!result.ok) throw new UpstreamError('bad-status', `search failed (${result.status})`, { status: result.status });
    const bundle = result.resource as Bundle;
    for (const entry of bundle.entry ?? []) if (entry.search?.mode !== 'include' && entry.resource) out.push(entry.resource as T);
    const link = bundle.link?.find((l) => l.relation === 'next')?.url;
    next = link === undefined ? undefined : relativeTo(upstream.baseUrl, link);
  }
  return out;
}

function relativeTo(base: string, url: string): string {
  const prefix = `${base.replace(/\/$/, '')}/`;
  if (!url.startsWith(prefix)) throw new UpstreamError('foreign-origin', 'a paging link left the FHIR base');
  return url.slice(prefix.length);
}

/** Reads one resource with its version, or undefined when absent (404/410). */
export async function readVersioned<T extends FhirResource>(upstream: FhirUpstream, reference: string): Promise<{ resource: T; version: string | undefined } | undefined> {
  const result = await upstream.getJson(reference);
  if (result.status === 404 || result.status === 410) return undefined;
  if (!result.ok) throw new UpstreamError('bad-status', `read failed (${result.status})`, { status: result.status });
  const resource = result.resource as T;
  const etag = result.headers.get('etag') ?? undefined;
  const version = resource.meta?.versionId ?? (etag === undefined ? undefined : /"([^"]+)"/.exec(etag)?.[1]);
  return { resource, version };
}

/** Only what the policy shows, of this patient. */
export async function visibleOf<T extends Resource>(policy: RequestPolicy, resources: readonly T[], patient: string): Promise<T[]> {
  policy.seed(resources);
  await policy.prefetch(resources);
  const shown: T[] = [];
  for (const resource of resources) {
    const judgement = await policy.judge(resource);
    if (judgement.show && judgement.patient === patient) shown.push(resource);
  }
  return shown;
}
