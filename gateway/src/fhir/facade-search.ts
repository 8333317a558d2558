/**
 * Searches, histories and their paging.
 *
 * - Pages are filled from further upstream pages, judging every entry; a short page says nothing about hidden items.
 * - Judge ahead: a `next` cursor is handed out only when one more visible entry is known to exist. After the page is
 *   full the facade keeps judging (reading further upstream pages if needed) until it finds one, or the upstream is
 *   exhausted. The cursor resumes at that entry (it is re-judged on the next page, like everything else).
 * - Cursors are sealed (cursor.ts) and the whole pipeline is re-run for every page.
 * - Upstream paging is followed wherever the server puts it on its base, HAPI's `{base}?_getpages=…` included; a
 *   continuation page the server has forgotten (410/404: its cached search expired) is found again by re-running the
 *   search and skipping to the same match (expired-page.ts). Bundle.total is never needed.
 * - History first passes the current-version gate (facade-read.ts): a hidden current version hides every version.
 * - Reference parameters (`encounter=Encounter/x`, `result=…`, `has-member=…`) naming a record the principal cannot
 *   see are treated exactly like a never-existing id: each named record is read and judged (the same one read for
 *   hidden and missing), and a value naming nothing visible is dropped; a parameter left with no value matches nothing.
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { openCursor, sealCursor } from './cursor.ts';
import { referencesIn } from './compartment.ts';
import type { Admitted, FacadeResult, RequestContext } from './facade-context.ts';
import { entryFor, nextLinkOf, readBundle, readContinuationPage, referenceOf } from './facade-context.ts';
import { reopenAt } from './expired-page.ts';
import { pagedEntryKind, wellFormedResource } from './upstream-entries.ts';
import { UpstreamError } from './upstream.ts';
import { loadFactsFirst, visibleCurrentVersion } from './facade-read.ts';
import { FacadeError, notFound } from './outcome.ts';
import type { ResultOptions, SearchQuery } from './parse-request.ts';
import type { Judgement } from './request-policy.ts';
import { PATIENT_TYPES, SHARED_TYPES, referenceTargetTypes } from './search-parameters.ts';

/** What a cursor carries: the original interaction, re-checked on every page. */
export type PagedQuery =
  | { readonly kind: 'search'; readonly query: SearchQuery }
  | ({ readonly kind: 'history'; readonly type: string; readonly id: string; readonly count?: number } & ResultOptions);

interface Position {
  readonly upstream: string;
  readonly skip: number;
  /** The upstream search's first page and the matches before `upstream` (to re-run an expired search; cursor.ts). */
  readonly first?: string;
  readonly offset?: number;
}

/** Searches and histories: fills one facade page from upstream pages, judging every entry and one visible entry ahead. */
export async function executePaged(paged: PagedQuery, resume: Position | undefined, context: RequestContext): Promise<FacadeResult> {
  const pageSize = (paged.kind === 'search' ? paged.query.count : paged.count) ?? context.limits.defaultPageSize;
  let start = resume;
  if (paged.kind === 'history') {
    // Facts first, then the current version: hidden, deleted and missing records all stop here, alike.
    await loadFactsFirst(context);
    await visibleCurrentVersion(paged.type, paged.id, context);
    const first = `${paged.type}/${paged.id}/_history?${new URLSearchParams({ _count: String(context.limits.upstreamPageSize) }).toString()}`;
    start ??= { upstream: first, skip: 0, first, offset: 0 };
  } else {
    // A cursor's query is re-scoped on every page: the principal may have lost access since the first page.
    const patientIds = await scopedPatientIds(paged.query, context);
    if (patientIds.length === 0) return { status: 200, resource: searchBundle(paged, [], undefined, context) };
    if (start === undefined) {
      const first = await firstSearchUrl(paged.query, patientIds, context);
      if (first === undefined) return { status: 200, resource: searchBundle(paged, [], undefined, context) };
      start = { upstream: first, skip: 0, first, offset: 0 };
    }
  }
  const page = await collectPage(paged, start, pageSize, context);
  if (paged.kind === 'history' && resume === undefined && page.entries.length === 0 && page.continuation === undefined) {
    // Every version hidden (or none): the same answer as a missing record.
    throw notFound();
  }
  return { status: 200, resource: searchBundle(paged, page.entries, page.continuation, context) };
}

export async function executePage(token: string, context: RequestContext): Promise<FacadeResult> {
  const payload = openCursor<PagedQuery>(token, context.session.secret, context.now, context.cursorKey);
  if (payload === undefined || payload.sessionId !== context.session.id || payload.principal !== context.principal.reference) {
    throw new FacadeError(410, 'expired', 'This page link has expired or belongs to another sign-in. Please run the search again.');
  }
  const { upstream, skip, first, offset } = payload;
  return executePaged(payload.query, { upstream, skip, ...(first === undefined ? {} : { first }), ...(offset === undefined ? {} : { offset }) }, context);
}

async function firstSearchUrl(query: SearchQuery, patientIds: readonly string[], context: RequestContext): Promise<string | undefined> {
  const filters = await visibleReferenceFilters(query, context);
  if (filters === undefined) return undefined;
  const upstreamQuery = new URLSearchParams();
  if (query.type === 'Patient') {
    upstreamQuery.set('_id', patientIds.join(','));
  } else {
    const scopeParameter = PATIENT_TYPES[query.type]?.patientParameters[0] ?? 'patient';
    upstreamQuery.set(scopeParameter, patientIds.map((id) => `Patient/${id}`).join(','));
  }
  for (const [name, value] of filters) upstreamQuery.append(name, value);
  for (const include of query.includes) upstreamQuery.append('_include', include);
  for (const include of query.revincludes) upstreamQuery.append('_revinclude', include);
  if (query.sort !== undefined) upstreamQuery.set('_sort', query.sort);
  upstreamQuery.set('_count', String(context.limits.upstreamPageSize));
  return `${query.type}?${upstreamQuery.toString()}`;
}

/**
 * The query's filters with every reference value that names no visible record dropped; undefined when a reference
 * parameter is left with no value at all (the search matches nothing). Hidden and missing targets cost the same
 * single read each.
 */
async function visibleReferenceFilters(query: SearchQuery, context: RequestContext): Promise<(readonly [string, string])[] | undefined> {
  const kept: (readonly [string, string])[] = [];
  for (const [rawName, value] of query.filters) {
    const [name = '', modifier] = rawName.split(':');
    const targets = referenceTargetTypes(query.type, name);
    if (targets === undefined || modifier === 'missing') {
      kept.push([rawName, value]);
      continue;
    }
    const visible: string[] = [];
    for (const part of value.split(',')) {
      if (!part.includes('/') && targets.every((target) => SHARED_TYPES.includes(target))) {
        visible.push(part); // a practitioner, a place, a drug definition: no patient data to check
        continue;
      }
      const reference = part.includes('/') ? part : targets.length === 1 ? `${targets[0] ?? ''}/${part}` : undefined;
      if (reference === undefined) throw new FacadeError(400, 'not-supported', 'Give this reference parameter as a relative reference such as Practitioner/123.');
      if (await namesVisibleRecord(reference, context)) visible.push(reference);
    }
    if (visible.length === 0) return undefined;
    kept.push([rawName, visible.join(',')]);
  }
  return kept;
}

async function namesVisibleRecord(reference: string, context: RequestContext): Promise<boolean> {
  const [type = ''] = reference.split('/');
  if (SHARED_TYPES.includes(type)) return true; // practitioners, places, drug definitions: no patient data
  const target = await context.policy.fetchReference(reference);
  if (target === undefined || referenceOf(target) !== reference) return false;
  return (await context.policy.judge(target)).show;
}

/** The patients a search may touch: those asked for that the principal may see, or all permitted for Patient. */
async function scopedPatientIds(query: SearchQuery, context: RequestContext): Promise<string[]> {
  if (query.type === 'Patient') {
    const permitted = (await context.policy.permittedPatients()).map((entry) => entry.decision.patient.slice('Patient/'.length));
    return query.patientIds.length === 0 ? permitted : permitted.filter((id) => query.patientIds.includes(id));
  }
  const accesses = await Promise.all(query.patientIds.map((id) => context.policy.accessFor(id)));
  return query.patientIds.filter((_, index) => {
    const access = accesses[index];
    return access !== undefined && access.decision.level !== 'none';
  });
}

async function collectPage(paged: PagedQuery, start: Position, pageSize: number, context: RequestContext): Promise<{ entries: BundleEntry[]; continuation: Position | undefined }> {
  const { limits } = context;
  const entries: BundleEntry[] = [];
  const trim: ResultOptions = paged.kind === 'search' ? paged.query : paged;
  let shownMatches = 0;
  let upstreamUrl: string | undefined = start.upstream;
  let skip = start.skip;
  let offset = start.offset ?? 0;
  const { first } = start;
  const readOptions = { notFoundAs404: paged.kind === 'history' };
  for (let fetched = 0; upstreamUrl !== undefined; fetched += 1) {
    if (fetched >= limits.maxUpstreamPagesPerRequest) {
      throw new FacadeError(502, 'too-costly', 'This search needs too much checking to answer. Please narrow it (for example by date or code).');
    }
    let bundle: Bundle;
    const continuation = first === undefined || upstreamUrl === first ? undefined : await readContinuationPage(upstreamUrl, context, readOptions);
    if (continuation === 'gone' && first !== undefined) {
      // The server forgot its cached search (HAPI: 410 for a gone _getpages id): re-run it and skip to the same match.
      const target = offset + skip;
      const reopened = await reopenAt(first, target, {
        read: (url) => readBundle(url, context, readOptions),
        next: (page) => nextLinkOf(page, context.upstream),
        maxPages: limits.maxUpstreamPagesPerRequest - fetched,
      });
      fetched += reopened.pagesRead - 1;
      ({ bundle, offset } = reopened);
      upstreamUrl = reopened.url;
      skip = target - reopened.offset;
    } else {
      bundle = continuation === undefined || continuation === 'gone' ? await readBundle(upstreamUrl, context, readOptions) : continuation;
    }
    const next = nextLinkOf(bundle, context.upstream);
    // A malformed match keeps its place (undefined) so offsets count like the upstream's; it is never judged or shown.
    const matches: (Resource | undefined)[] = [];
    const included: Resource[] = [];
    for (const entry of (bundle.entry ?? []) as unknown[]) {
      const kind = pagedEntryKind(entry); // 'none': deleted versions in a history, outcomes; nothing to show
      const resource = kind === 'match' || kind === 'include' ? wellFormedResource((entry as { resource: unknown }).resource) : undefined;
      if (kind === 'match') matches.push(resource);
      else if (kind === 'include' && resource !== undefined) included.push(resource);
      else if (kind === 'include' || kind === 'malformed') context.tally.recordWithheld(undefined, undefined, 'malformed-entry');
    }
    const wellFormed = matches.filter((match): match is Resource => match !== undefined);
    if (paged.kind === 'search') context.policy.seed([...wellFormed, ...included]);

    const taken: Admitted[] = [];
    let ahead: number | undefined;
    let prefetchedUpTo = skip;
    for (let index = skip; index < matches.length; index += 1) {
      if (index >= prefetchedUpTo) {
        // Read what the next page-full of matches will be judged on in parallel, not one entry at a time.
        prefetchedUpTo = index + Math.max(pageSize - shownMatches - taken.length, 1);
        await context.policy.prefetch(matches.slice(index, prefetchedUpTo).filter((match): match is Resource => match !== undefined));
      }
      const match = matches[index];
      if (match === undefined) {
        context.tally.recordWithheld(undefined, undefined, 'malformed-entry');
        continue;
      }
      const judgement = await judgeEntry(match, paged, context);
      if (!judgement.show) {
        context.tally.recordWithheld(referenceOf(match), judgement.patient, judgement.reason);
        continue;
      }
      if (shownMatches + taken.length >= pageSize) {
        // One visible entry beyond the page: the next page starts here (it is not returned now, nor tallied).
        ahead = index;
        break;
      }
      context.tally.recordReturned(referenceOf(match), judgement.patient, judgement.reason);
      taken.push({ resource: match, judgement });
    }
    for (const admitted of taken) entries.push(entryFor(admitted, paged.kind === 'search' ? 'match' : undefined, trim, context));
    shownMatches += taken.length;
    if (paged.kind === 'search' && included.length > 0 && taken.length > 0) {
      const matchResources = taken.map((admitted) => admitted.resource);
      for (const admitted of await linkedIncludes(matchResources, included, context)) entries.push(entryFor(admitted, 'include', trim, context));
    }
    if (ahead !== undefined) return { entries, continuation: { upstream: upstreamUrl, skip: ahead, ...(first === undefined ? {} : { first, offset }) } };
    upstreamUrl = next;
    offset += matches.length;
    skip = 0;
  }
  return { entries, continuation: undefined };
}

/** Judges one match (or one history version); an entry of the wrong type or record is never shown. */
async function judgeEntry(resource: Resource, paged: PagedQuery, context: RequestContext): Promise<Judgement> {
  const expectedType = paged.kind === 'search' ? paged.query.type : paged.type;
  if (resource.resourceType !== expectedType || (paged.kind === 'history' && resource.id !== paged.id)) {
    return { show: false, reason: 'unexpected-entry' };
  }
  return judgeOrWithhold(resource, context);
}

/**
 * The policy's judgement, or — when this one entry's shape makes judging it throw (a public server's malformed
 * resource) — withheld on its own, so the rest of the page is still answered. Failures of the upstream, of the
 * request, or of the facade itself are not one entry's fault and still fail the whole request.
 */
async function judgeOrWithhold(resource: Resource, context: RequestContext): Promise<Judgement> {
  try {
    return await context.policy.judge(resource);
  } catch (error) {
    if (error instanceof UpstreamError || error instanceof FacadeError || (error instanceof Error && error.name === 'AbortError')) throw error;
    return { show: false, reason: 'unjudgeable-entry' };
  }
}

/**
 * _include/_revinclude entries: kept only when linked to a returned match (a visible match points at it, or it
 * points at a visible match) AND visible themselves. An include that exists only because a hidden match pointed
 * at it would otherwise confirm the hidden match.
 */
async function linkedIncludes(matches: readonly Resource[], included: readonly Resource[], context: RequestContext): Promise<Admitted[]> {
  const base = context.upstream.baseUrl;
  const matchReferences = new Set(matches.map((match) => referenceOf(match)).filter((ref): ref is string => ref !== undefined));
  // Only whether a match points at one of the includes matters: stop walking the matches once every include has
  // been seen (a page of Observations names the same few Encounters over and over).
  const includeReferences = new Set(included.map((resource) => referenceOf(resource)).filter((ref): ref is string => ref !== undefined));
  const pointedAt = new Set<string>();
  for (const match of matches) {
    if (pointedAt.size >= includeReferences.size) break;
    for (const reference of referencesIn(match, base)) if (includeReferences.has(reference)) pointedAt.add(reference);
  }
  const kept: Admitted[] = [];
  const seen = new Set<string>();
  for (const resource of included) {
    const reference = referenceOf(resource);
    if (reference === undefined || seen.has(reference) || matchReferences.has(reference)) continue;
    const linked = pointedAt.has(reference) || [...referencesIn(resource, base)].some((ref) => matchReferences.has(ref));
    if (!linked) continue;
    seen.add(reference);
    const judgement = await judgeOrWithhold(resource, context);
    if (judgement.show) {
      context.tally.recordReturned(reference, judgement.patient, judgement.reason);
      kept.push({ resource, judgement });
    } else {
      context.tally.recordWithheld(reference, judgement.patient, judgement.reason);
    }
  }
  return kept;
}

function searchBundle(paged: PagedQuery, entries: BundleEntry[], continuation: Position | undefined, context: RequestContext): Bundle {
  const link: Bundle['link'] = [{ relation: 'self', url: context.selfUrl }];
  if (continuation !== undefined) {
    const cursor = sealCursor(
      {
        sessionId: context.session.id,
        principal: context.principal.reference,
        query: paged,
        upstream: continuation.upstream,
        skip: continuation.skip,
        ...(continuation.first === undefined ? {} : { first: continuation.first, offset: continuation.offset ?? 0 }),
        expiresAt: context.now + context.limits.cursorTtlMs,
      },
      context.session.secret,
      context.cursorKey,
    );
    link.push({ relation: 'next', url: `${context.facadeBase}/_page?cursor=${encodeURIComponent(cursor)}` });
  }
  // No `total`, ever: a count of matches would reveal how many were hidden.
  return { resourceType: 'Bundle', type: paged.kind === 'search' ? 'searchset' : 'history', link, entry: entries };
}
