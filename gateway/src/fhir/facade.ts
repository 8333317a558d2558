/**
 * The policy-enforcing FHIR facade, mounted at /fhir on the portal's origin.
 *
 * Pipeline (fhirFacade, below, top to bottom): parse the request → refuse what is not allowed → determine the patient
 * compartment → per-patient decision (load-access) → upstream call → judge every resource, nested ones included, after
 * resolving what the classifier follows → trim (_elements/_summary, after deciding) → response + one audit record.
 *
 * Leak-path rules (design/policy.md) and where they live:
 * - No Bundle.total; `_total`, `_summary=count`, `_has`, chains, `_filter`, operations, GraphQL refused: parse-request.ts.
 * - Upstream paging links never leave the gateway; our own cursors are sealed and re-checked every page: cursor.ts,
 *   collectPage here. Pages are filled from further upstream pages, so a short page says nothing about hidden items.
 * - Hidden and missing answer alike: one notFound() (same status, body, headers; no ETag / Last-Modified at all).
 * - Every history version, include, contained and referenced resource is judged: request-policy.ts.
 * - Fail closed: any throw while judging or filtering answers 500/502/504 with a fixed message, never upstream bytes.
 *
 * Patient searches (`Patient`, `Patient?_id=…`): served only within the principal's permitted patients (a guardian
 * listing their children); `_id` values outside that set match nothing.
 */
import type { Binary, Bundle, BundleEntry, CapabilityStatement, CapabilityStatementRestResource, Patient, Resource } from 'fhir/r4';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import { redactPatientForDecision } from '../policy/index.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Principal } from '../policy/types.ts';
import type { Session } from '../session/types.ts';
import type { Store } from '../store/types.ts';
import { AuditTally, buildAuditRecord } from './audit.ts';
import { attachmentsOf, binaryReferenceOf, referencesIn, toRelativeReference } from './compartment.ts';
import { openCursor, sealCursor } from './cursor.ts';
import { omitReferences } from './omit-references.ts';
import { operationOutcome } from '../errors.ts';
import { FacadeError, NOT_FOUND_MESSAGE, notFound, refused } from './outcome.ts';
import type { FacadeRequest, ResultOptions, SearchQuery } from './parse-request.ts';
import { parseFacadeRequest } from './parse-request.ts';
import type { Judgement, RequestPolicy } from './request-policy.ts';
import { createRequestPolicy } from './request-policy.ts';
import { PATIENT_SEARCH_PARAMETERS, PATIENT_TYPES, SHARED_TYPES } from './search-parameters.ts';
import { trimResource } from './trim.ts';
import type { FhirUpstream } from './upstream.ts';
import { UpstreamError } from './upstream.ts';

export interface FacadeLimits {
  /** Page size when the client gives no _count. */
  readonly defaultPageSize: number;
  /** Largest _count honoured. */
  readonly maxPageSize: number;
  /** _count the facade asks the upstream for (pages are filled from it). */
  readonly upstreamPageSize: number;
  /** Upstream pages read to fill one facade page; then the page is returned short, with a cursor. */
  readonly maxUpstreamPagesPerRequest: number;
  readonly cursorTtlMs: number;
  readonly maxBatchEntries: number;
  /** Largest request body (batch) accepted, in bytes. */
  readonly maxRequestBytes: number;
  /** Upstream pages of DocumentReference/DiagnosticReport scanned per patient to authorise a Binary. */
  readonly binaryScanPages: number;
}

export const DEFAULT_FACADE_LIMITS: FacadeLimits = {
  defaultPageSize: 20,
  maxPageSize: 100,
  upstreamPageSize: 100,
  maxUpstreamPagesPerRequest: 5,
  cursorTtlMs: 15 * 60 * 1000,
  maxBatchEntries: 20,
  maxRequestBytes: 256 * 1024,
  binaryScanPages: 10,
};

export interface FhirFacadeOptions {
  readonly profile: HospitalProfile;
  readonly store: Store;
  readonly clock: Clock;
  /** Deployment secret mixed into the cursor key (optional; the session secret alone already binds cursors). */
  readonly cursorKey?: string;
  readonly limits?: Partial<FacadeLimits>;
  /** Where the facade is mounted (default "/fhir"); used to read the path and to build links. */
  readonly basePath?: string;
}

/** The answer of one facade interaction before it becomes an HTTP response. */
type FacadeResult =
  | { readonly status: number; readonly resource: Resource }
  | { readonly status: number; readonly bytes: Uint8Array; readonly contentType: string };

interface RequestContext {
  readonly policy: RequestPolicy;
  readonly upstream: FhirUpstream;
  readonly session: Session;
  readonly principal: Principal;
  readonly tally: AuditTally;
  /** Absolute URL of the facade ("https://portal.example/fhir"). */
  readonly facadeBase: string;
  /** The URL as asked (for Bundle self links). */
  readonly selfUrl: string;
  readonly accept: string;
  readonly now: number;
  readonly profile: HospitalProfile;
}

/** What a cursor carries: the original interaction, re-checked on every page. */
type PagedQuery = { readonly kind: 'search'; readonly query: SearchQuery } | { readonly kind: 'history'; readonly type: string; readonly id: string; readonly count?: number } & ResultOptions;

const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/fhir+json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function createFhirFacade(options: FhirFacadeOptions): Hono<GatewayEnv> {
  const limits: FacadeLimits = { ...DEFAULT_FACADE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`Facade limit ${name} must be a positive integer.`);
  }
  if (limits.defaultPageSize > limits.maxPageSize || limits.maxPageSize > limits.upstreamPageSize) {
    throw new Error('Facade limits must satisfy defaultPageSize ≤ maxPageSize ≤ upstreamPageSize.');
  }
  const basePath = (options.basePath ?? '/fhir').replace(/\/+$/, '');
  const { profile, store, clock } = options;

  const app = new Hono<GatewayEnv>();

  app.all('*', async function fhirFacade(c) {
    const now = clock.now();
    const principal = c.get('principal');
    const session = c.get('session');
    const upstream = c.get('upstream');
    const tally = new AuditTally();
    const url = new URL(c.req.url);
    let action = 'unknown';
    let askedPatient: string | undefined;
    let failed: 'denied' | 'error' | undefined;
    let result: FacadeResult;
    try {
      // 1–2. Parse, and refuse what the facade cannot vouch for (no upstream call has happened yet).
      const request = parseFacadeRequest(c.req.method, pathSegments(url.pathname, basePath), url.searchParams, limits);
      action = actionOf(request);
      askedPatient = askedPatientOf(request);
      const launchPatient = session.launchContext?.['patient'];
      const context: RequestContext = {
        policy: createRequestPolicy({
          upstream,
          principal,
          profile,
          asOf: new Date(now),
          ...(typeof launchPatient === 'string' ? { launchPatientId: launchPatient } : {}),
          signal: c.req.raw.signal,
        }),
        upstream,
        session,
        principal,
        tally,
        facadeBase: `${url.origin}${basePath}`,
        selfUrl: url.href,
        accept: c.req.header('accept') ?? '',
        now,
        profile,
      };
      // 3–7. Compartment, decision, upstream call, judging and trimming happen inside execute().
      result = request.kind === 'batch' ? await executeBatch(c, context) : await execute(request, context);
    } catch (error) {
      // Fail closed: whatever threw (a refusal, the classifier, the filter, the upstream), the answer is a fixed
      // OperationOutcome. The upstream's body is never passed on, and nothing gathered so far is sent.
      const mapped = toFacadeError(error);
      failed = mapped.status === 404 ? undefined : mapped.status < 500 ? 'denied' : 'error';
      if (mapped.status === 404) tally.reasons.add('not-found-or-hidden');
      if (mapped.status >= 500) tally.reasons.add(`failed-${mapped.code}`);
      result = { status: mapped.status, resource: operationOutcome(mapped.code, mapped.message) };
    }

    // 8. Audit, then respond. An unrecorded disclosure is not allowed: if the audit write fails, nothing is returned.
    try {
      await store.audit.append(
        buildAuditRecord({
          recorded: now,
          requestId: c.get('requestId'),
          actor: principal.fhirUser,
          action,
          query: `${c.req.method} ${url.pathname}${url.search}`,
          failed,
          askedPatient,
          tally,
        }),
      );
    } catch {
      result = { status: 500, resource: operationOutcome('exception', 'The request could not be recorded, so nothing was returned.') };
    }
    return toResponse(result);
  });

  /** Runs one parsed interaction (also used for each batch entry). */
  async function execute(request: Exclude<FacadeRequest, { kind: 'batch' }>, context: RequestContext): Promise<FacadeResult> {
    switch (request.kind) {
      case 'capabilities':
        return { status: 200, resource: capabilityStatement(context.now) };
      case 'read':
        return executeRead(`${request.type}/${request.id}`, request.type, request.id, request, context);
      case 'vread':
        return executeRead(`${request.type}/${request.id}/_history/${request.versionId}`, request.type, request.id, request, context);
      case 'history':
        return executePaged({ ...request, kind: 'history' }, undefined, context);
      case 'search':
        return executePaged({ kind: 'search', query: request.query }, undefined, context);
      case 'page':
        return executePage(request.cursor, context);
      case 'binary':
        return executeBinary(request.id, context);
      default:
        throw refused('This interaction is not supported by this gateway.');
    }
  }

  async function executeRead(path: string, type: string, id: string, trim: ResultOptions, context: RequestContext): Promise<FacadeResult> {
    const answer = await context.upstream.getJson(path);
    if (!answer.ok) throw answerToError(answer.status);
    const resource = answer.resource;
    if (resource.resourceType !== type || resource.id !== id) {
      throw new FacadeError(502, 'exception', 'The health record system answered with a different record than asked.');
    }
    const judgement = await context.policy.judge(resource);
    const reference = `${type}/${id}`;
    if (!judgement.show) {
      context.tally.recordWithheld(reference, judgement.patient, judgement.reason);
      throw notFound();
    }
    context.tally.recordReturned(reference, judgement.patient, judgement.reason);
    return { status: 200, resource: present(resource, judgement, trim, context) };
  }

  /** Searches and histories: fills one facade page from upstream pages, judging every entry. */
  async function executePaged(paged: PagedQuery, resume: { upstream: string; skip: number } | undefined, context: RequestContext): Promise<FacadeResult> {
    const pageSize = (paged.kind === 'search' ? paged.query.count : paged.count) ?? limits.defaultPageSize;
    let start = resume;
    if (start === undefined) {
      const first = await firstUpstreamUrl(paged, context);
      if (first === undefined) return { status: 200, resource: searchBundle(paged, [], undefined, context) };
      start = { upstream: first, skip: 0 };
    } else if (paged.kind === 'search') {
      // A cursor's query is re-scoped on every page: the principal may have lost access since the first page.
      const scoped = await scopedPatientIds(paged.query, context);
      if (scoped.length === 0) return { status: 200, resource: searchBundle(paged, [], undefined, context) };
    }
    const page = await collectPage(paged, start, pageSize, context);
    if (paged.kind === 'history' && resume === undefined && page.entries.length === 0 && page.continuation === undefined) {
      // Every version hidden (or none): the same answer as a missing record.
      throw notFound();
    }
    return { status: 200, resource: searchBundle(paged, page.entries, page.continuation, context) };
  }

  async function firstUpstreamUrl(paged: PagedQuery, context: RequestContext): Promise<string | undefined> {
    if (paged.kind === 'history') {
      const query = new URLSearchParams({ _count: String(limits.upstreamPageSize) });
      return `${paged.type}/${paged.id}/_history?${query.toString()}`;
    }
    const { query } = paged;
    const patientIds = await scopedPatientIds(query, context);
    if (patientIds.length === 0) return undefined;
    const upstreamQuery = new URLSearchParams();
    if (query.type === 'Patient') {
      upstreamQuery.set('_id', patientIds.join(','));
    } else {
      const scopeParameter = PATIENT_TYPES[query.type]?.patientParameters[0] ?? 'patient';
      upstreamQuery.set(scopeParameter, patientIds.map((id) => `Patient/${id}`).join(','));
    }
    for (const [name, value] of query.filters) upstreamQuery.append(name, value);
    for (const include of query.includes) upstreamQuery.append('_include', include);
    for (const include of query.revincludes) upstreamQuery.append('_revinclude', include);
    if (query.sort !== undefined) upstreamQuery.set('_sort', query.sort);
    upstreamQuery.set('_count', String(limits.upstreamPageSize));
    return `${query.type}?${upstreamQuery.toString()}`;
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

  async function collectPage(
    paged: PagedQuery,
    start: { upstream: string; skip: number },
    pageSize: number,
    context: RequestContext,
  ): Promise<{ entries: BundleEntry[]; continuation: { upstream: string; skip: number } | undefined }> {
    const entries: BundleEntry[] = [];
    let upstreamUrl: string | undefined = start.upstream;
    let skip = start.skip;
    for (let fetched = 0; upstreamUrl !== undefined && fetched < limits.maxUpstreamPagesPerRequest; fetched += 1) {
      const bundle = await readBundle(upstreamUrl, context);
      const next = nextLinkOf(bundle, context.upstream);
      const matches: Resource[] = [];
      const included: Resource[] = [];
      for (const entry of bundle.entry ?? []) {
        if (entry.resource === undefined) continue; // deleted versions in a history; nothing to show
        if (entry.search?.mode === 'include') included.push(entry.resource);
        else if (entry.search?.mode !== 'outcome') matches.push(entry.resource);
      }
      if (paged.kind === 'search') context.policy.seed([...matches, ...included]);

      const taken: Admitted[] = [];
      let index = skip;
      let prefetchedUpTo = skip;
      for (; index < matches.length && entries.length + taken.length < pageSize; index += 1) {
        if (index >= prefetchedUpTo) {
          // Read what the next page-full of matches will be judged on in parallel, not one entry at a time.
          prefetchedUpTo = index + pageSize;
          await context.policy.prefetch(matches.slice(index, prefetchedUpTo));
        }
        const match = matches[index];
        if (match === undefined) continue;
        const judgement = await admit(match, paged, context);
        if (judgement.show) taken.push({ resource: match, judgement });
      }
      const trim: ResultOptions = paged.kind === 'search' ? paged.query : paged;
      for (const admitted of taken) entries.push(entryFor(admitted, paged.kind === 'search' ? 'match' : undefined, trim, context));
      if (paged.kind === 'search' && included.length > 0) {
        const matchResources = taken.map((admitted) => admitted.resource);
        for (const admitted of await linkedIncludes(matchResources, included, context)) entries.push(entryFor(admitted, 'include', trim, context));
      }
      if (entries.filter((entry) => entry.search?.mode !== 'include').length >= pageSize) {
        const continuation = index < matches.length ? { upstream: upstreamUrl, skip: index } : next === undefined ? undefined : { upstream: next, skip: 0 };
        return { entries, continuation };
      }
      upstreamUrl = next;
      skip = 0;
    }
    return { entries, continuation: upstreamUrl === undefined ? undefined : { upstream: upstreamUrl, skip: 0 } };
  }

  /** Judges one match (or one history version) and tallies it. */
  async function admit(resource: Resource, paged: PagedQuery, context: RequestContext): Promise<Judgement> {
    const reference = referenceOf(resource);
    const expectedType = paged.kind === 'search' ? paged.query.type : paged.type;
    if (resource.resourceType !== expectedType || (paged.kind === 'history' && resource.id !== paged.id)) {
      context.tally.recordWithheld(reference, undefined, 'unexpected-entry');
      return { show: false, reason: 'unexpected-entry' };
    }
    const judgement = await context.policy.judge(resource);
    if (judgement.show) context.tally.recordReturned(reference, judgement.patient, judgement.reason);
    else context.tally.recordWithheld(reference, judgement.patient, judgement.reason);
    return judgement;
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
      const judgement = await context.policy.judge(resource);
      if (judgement.show) {
        context.tally.recordReturned(reference, judgement.patient, judgement.reason);
        kept.push({ resource, judgement });
      } else {
        context.tally.recordWithheld(reference, judgement.patient, judgement.reason);
      }
    }
    return kept;
  }

  async function executePage(token: string, context: RequestContext): Promise<FacadeResult> {
    const payload = openCursor<PagedQuery>(token, context.session.secret, context.now, options.cursorKey);
    if (payload === undefined || payload.sessionId !== context.session.id || payload.principal !== context.principal.reference) {
      throw new FacadeError(410, 'expired', 'This page link has expired or belongs to another sign-in. Please run the search again.');
    }
    return executePaged(payload.query, { upstream: payload.upstream, skip: payload.skip }, context);
  }

  function searchBundle(paged: PagedQuery, entries: BundleEntry[], continuation: { upstream: string; skip: number } | undefined, context: RequestContext): Bundle {
    const link: Bundle['link'] = [{ relation: 'self', url: context.selfUrl }];
    if (continuation !== undefined) {
      const cursor = sealCursor(
        {
          sessionId: context.session.id,
          principal: context.principal.reference,
          query: paged,
          upstream: continuation.upstream,
          skip: continuation.skip,
          expiresAt: context.now + limits.cursorTtlMs,
        },
        context.session.secret,
        options.cursorKey,
      );
      link.push({ relation: 'next', url: `${context.facadeBase}/_page?cursor=${encodeURIComponent(cursor)}` });
    }
    // No `total`, ever: a count of matches would reveal how many were hidden.
    return { resourceType: 'Bundle', type: paged.kind === 'search' ? 'searchset' : 'history', link, entry: entries };
  }

  async function executeBinary(id: string, context: RequestContext): Promise<FacadeResult> {
    const reference = `Binary/${id}`;
    const answer = await context.upstream.getJson(reference);
    if (!answer.ok) throw answerToError(answer.status);
    const binary = answer.resource;
    if (!isBinary(binary) || binary.id !== id) {
      throw new FacadeError(502, 'exception', 'The health record system answered with a different record than asked.');
    }
    const authorisedBy = await binaryAuthorisation(binary, context);
    if (authorisedBy === undefined) {
      context.tally.recordWithheld(reference, undefined, 'binary-not-referenced-by-visible-record');
      throw notFound();
    }
    context.tally.recordReturned(reference, authorisedBy.patient, 'binary-of-visible-record');
    if (/application\/(fhir\+)?json/.test(context.accept)) return { status: 200, resource: binary };
    const bytes = Buffer.from(binary.data ?? '', 'base64');
    return { status: 200, bytes: new Uint8Array(bytes), contentType: binary.contentType ?? 'application/octet-stream' };
  }

  /**
   * A Binary is served only when a visible record of a permitted patient points at it: its securityContext, or a
   * DocumentReference / DiagnosticReport whose attachment URL names it. Returns that record's patient, or undefined.
   */
  async function binaryAuthorisation(binary: Binary, context: RequestContext): Promise<{ patient: string | undefined } | undefined> {
    const base = context.upstream.baseUrl;
    const securityReference = binary.securityContext?.reference;
    const contextReference = securityReference === undefined ? undefined : toRelativeReference(securityReference, base);
    if (contextReference !== undefined) {
      const owner = await context.policy.fetchReference(contextReference);
      if (owner !== undefined && !SHARED_TYPES.includes(owner.resourceType)) {
        const judgement = await context.policy.judge(owner);
        if (judgement.show) return { patient: judgement.patient };
      }
    }
    const target = `Binary/${binary.id ?? ''}`;
    for (const access of await context.policy.permittedPatients()) {
      for (const type of ['DocumentReference', 'DiagnosticReport']) {
        let next: string | undefined = `${type}?patient=${encodeURIComponent(access.decision.patient)}&_count=${limits.upstreamPageSize}`;
        for (let page = 0; next !== undefined && page < limits.binaryScanPages; page += 1) {
          const bundle = await readBundle(next, context);
          for (const entry of bundle.entry ?? []) {
            const resource = entry.resource;
            if (resource === undefined || resource.resourceType !== type) continue;
            if (!attachmentsOf(resource).some((attachment) => binaryReferenceOf(attachment.url, base) === target)) continue;
            const judgement = await context.policy.judge(resource);
            if (judgement.show) return { patient: judgement.patient };
          }
          next = nextLinkOf(bundle, context.upstream);
        }
      }
    }
    return undefined;
  }

  async function executeBatch(c: Context<GatewayEnv>, context: RequestContext): Promise<FacadeResult> {
    const body = await readRequestJson(c, limits.maxRequestBytes);
    if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'Bundle') {
      throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
    }
    const bundle = body as Bundle;
    if (!Array.isArray(bundle.entry ?? [])) throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
    if (bundle.type !== 'batch') throw new FacadeError(405, 'not-supported', 'Only batch bundles of reads are accepted; transactions are writes.');
    const requests = bundle.entry ?? [];
    if (requests.length > limits.maxBatchEntries) throw refused(`A batch may hold at most ${limits.maxBatchEntries} entries.`);
    const answers: BundleEntry[] = [];
    // Sequential on purpose: entries share this request's caches, and one batch must not fan out unboundedly.
    for (const entry of requests) {
      answers.push(await executeBatchEntry(entry, context));
    }
    const response: Bundle = { resourceType: 'Bundle', type: 'batch-response', entry: answers };
    return { status: 200, resource: response };
  }

  async function executeBatchEntry(entry: BundleEntry, context: RequestContext): Promise<BundleEntry> {
    try {
      const method = entry.request?.method;
      const target = entry.request?.url;
      if (method !== 'GET' || typeof target !== 'string') {
        throw new FacadeError(405, 'not-supported', 'Batch entries must be reads (GET).');
      }
      const url = new URL(target, `${context.facadeBase}/`);
      if (url.origin !== new URL(context.facadeBase).origin) throw refused('Batch entries must be relative URLs.');
      const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname : `${basePath}/${url.pathname.replace(/^\/+/, '')}`;
      const request = parseFacadeRequest('GET', pathSegments(path, basePath), url.searchParams, limits);
      if (request.kind === 'batch' || request.kind === 'binary') throw refused('This interaction is not available inside a batch.');
      const result = await execute(request, { ...context, selfUrl: url.href });
      if (!('resource' in result)) throw refused('This interaction is not available inside a batch.');
      return { resource: result.resource, response: { status: String(result.status) } };
    } catch (error) {
      // Same fail-closed mapping as a whole request, per entry: fixed messages, never upstream bytes.
      const mapped = toFacadeError(error);
      return { response: { status: String(mapped.status), outcome: operationOutcome(mapped.code, mapped.message) } };
    }
  }

  return app;
}

/**
 * The resource as the browser receives it: a Patient redacted for the decision (a teen's confidential contact data),
 * attachment URLs pointed at the facade, then trimmed. Only ever called with a "show" judgement.
 */
function present(resource: Resource, judgement: Judgement, trim: ResultOptions, context: RequestContext): Resource {
  const base = context.upstream.baseUrl;
  let shown: Resource =
    judgement.omitReferences === undefined
      ? resource
      : omitReferences(resource, judgement.omitReferences, (reference) => toRelativeReference(reference, base));
  if (isPatient(resource)) {
    if (judgement.access === undefined) throw new Error('A Patient cannot be shown without the decision that redacts it.');
    shown = redactPatientForDecision(shown as Patient, judgement.access.decision, context.profile);
  }
  const attachments = attachmentsOf(resource);
  if (attachments.some((attachment) => binaryReferenceOf(attachment.url, base) !== undefined)) {
    shown = structuredClone(shown);
    for (const attachment of attachmentsOf(shown)) {
      const binary = binaryReferenceOf(attachment.url, base);
      if (binary !== undefined) attachment.url = `${context.facadeBase}/${binary}`;
    }
  }
  return trimResource(shown, trim);
}

function entryFor(admitted: Admitted, mode: 'match' | 'include' | undefined, trim: ResultOptions, context: RequestContext): BundleEntry {
  const { resource } = admitted;
  const shown = present(resource, admitted.judgement, trim, context);
  return {
    fullUrl: `${context.facadeBase}/${resource.resourceType}/${resource.id ?? ''}`,
    resource: shown,
    ...(mode === undefined ? {} : { search: { mode } }),
  };
}

interface Admitted {
  readonly resource: Resource;
  readonly judgement: Judgement;
}

function isPatient(resource: Resource): resource is Patient {
  return resource.resourceType === 'Patient';
}

function isBundle(resource: Resource): resource is Bundle {
  return resource.resourceType === 'Bundle';
}

function isBinary(resource: Resource): resource is Binary {
  return resource.resourceType === 'Binary';
}

function referenceOf(resource: Resource): string | undefined {
  return resource.id === undefined ? undefined : `${resource.resourceType}/${resource.id}`;
}

async function readBundle(path: string, context: RequestContext): Promise<Bundle> {
  const answer = await context.upstream.getJson(path);
  if (!answer.ok) {
    throw new FacadeError(502, 'exception', 'The health record system refused the search.', { cause: new UpstreamError('bad-status', 'search', { status: answer.status }) });
  }
  const bundle = answer.resource;
  if (!isBundle(bundle) || !Array.isArray(bundle.entry ?? [])) {
    throw new UpstreamError('not-fhir', 'The FHIR server answered a search with something other than a Bundle.');
  }
  return bundle;
}

/**
 * The upstream's next link, as a path on the FHIR base. A link to any other place is a broken or hostile upstream:
 * it is refused here (502), never followed and never shown.
 */
function nextLinkOf(bundle: Bundle, upstream: FhirUpstream): string | undefined {
  const next = bundle.link?.find((link) => link.relation === 'next')?.url;
  if (next === undefined) return undefined;
  let url: URL;
  let base: URL;
  try {
    base = new URL(`${upstream.baseUrl}/`);
    url = new URL(next, base);
  } catch (cause) {
    throw new UpstreamError('not-fhir', 'The FHIR server sent a malformed paging link.', { cause });
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new UpstreamError('foreign-origin', 'The FHIR server sent a paging link to another server.');
  }
  return `${url.pathname.slice(base.pathname.length)}${url.search}`;
}

function answerToError(status: number): FacadeError {
  // 404, 410 and any other refusal of a read look the same from outside (the upstream's words are not passed on).
  if (status >= 400 && status < 500) return notFound();
  return new FacadeError(502, 'exception', 'The health record system answered unexpectedly.');
}

function toFacadeError(error: unknown): FacadeError {
  if (error instanceof FacadeError) return error;
  if (error instanceof UpstreamError) {
    switch (error.failure) {
      case 'timeout':
        return new FacadeError(504, 'timeout', 'The health record system did not answer in time. Please try again.', { cause: error });
      case 'unauthorized':
        return new FacadeError(401, 'security', 'Your sign-in with the health record system has ended. Please sign in again.', { cause: error });
      case 'foreign-origin':
        return new FacadeError(502, 'security', 'The health record system answered with a link the portal will not follow.', { cause: error });
      case 'oversize':
        return new FacadeError(502, 'too-costly', 'The health record system’s answer was too large to check. Please narrow the request.', { cause: error });
      case 'network':
      case 'bad-status':
      case 'not-fhir':
        return new FacadeError(502, 'exception', 'The health record system could not be reached or answered badly.', { cause: error });
    }
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new FacadeError(504, 'timeout', 'The request was cancelled before it finished.', { cause: error });
  }
  // Classifier or filter failure: fail closed, with no detail.
  return new FacadeError(500, 'exception', 'The record could not be checked safely, so nothing was returned.', { cause: error });
}

function toResponse(result: FacadeResult): Response {
  if ('resource' in result) {
    return new Response(JSON.stringify(result.resource), { status: result.status, headers: JSON_HEADERS });
  }
  // Document bytes on the portal's origin: never rendered as active content (no script, no sniffing).
  const inline = /^(application\/pdf|image\/(png|jpeg|gif)|text\/plain)$/.test(result.contentType);
  return new Response(new Blob([new Uint8Array(result.bytes)]), {
    status: result.status,
    headers: {
      'content-type': result.contentType.replace(/[^\w.+\-/=; ]/g, ''),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'content-disposition': inline ? 'inline' : 'attachment',
    },
  });
}

function pathSegments(pathname: string, basePath: string): string[] {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  try {
    return rest
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw refused('The address is not valid.');
  }
}

function actionOf(request: FacadeRequest): string {
  switch (request.kind) {
    case 'read':
    case 'vread':
    case 'history':
    case 'search':
    case 'batch':
    case 'binary':
      return request.kind;
    case 'page':
      return 'search';
    case 'capabilities':
      return 'capabilities';
    default:
      return 'unknown';
  }
}

function askedPatientOf(request: FacadeRequest): string | undefined {
  if ((request.kind === 'read' || request.kind === 'vread' || request.kind === 'history') && request.type === 'Patient') return `Patient/${request.id}`;
  if (request.kind === 'search' && request.query.patientIds.length === 1) return `Patient/${request.query.patientIds[0] ?? ''}`;
  return undefined;
}

async function readRequestJson(c: Context<GatewayEnv>, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new FacadeError(413, 'too-costly', 'The request is too large.');
  const body = c.req.raw.body;
  if (body === null) throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FacadeError(413, 'too-costly', 'The request is too large.');
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new FacadeError(400, 'invalid', 'The request body is not valid JSON.');
  }
}

/** What the facade serves, generated from the allow-list table (the upstream's own statement is never passed on). */
function capabilityStatement(now: number): CapabilityStatement {
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
