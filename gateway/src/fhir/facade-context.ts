/**
 * What every facade interaction shares: the limits, the per-request context, how a judged resource is presented, and
 * how upstream answers and failures become the facade's fixed answers.
 */
import type { Bundle, BundleEntry, Patient, Resource } from 'fhir/r4';
import { redactPatientForDecision } from '../policy/index.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Principal } from '../policy/types.ts';
import type { Session } from '../session/types.ts';
import type { AuditTally } from './audit.ts';
import { attachmentsOf, binaryReferenceOf, toRelativeReference } from './compartment.ts';
import { omitReferences } from './omit-references.ts';
import { FacadeError, notFound } from './outcome.ts';
import type { ResultOptions } from './parse-request.ts';
import type { Judgement, RequestPolicy } from './request-policy.ts';
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
  /**
   * Upstream pages read for one facade page, judging ahead included. A page is returned short only when the upstream
   * has no more matches; past this many pages the request fails closed ("too costly, narrow the search").
   */
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
  maxUpstreamPagesPerRequest: 20,
  cursorTtlMs: 15 * 60 * 1000,
  maxBatchEntries: 20,
  maxRequestBytes: 256 * 1024,
  binaryScanPages: 10,
};

/** The answer of one facade interaction before it becomes an HTTP response. */
export type FacadeResult =
  | { readonly status: number; readonly resource: Resource }
  | { readonly status: number; readonly bytes: Uint8Array; readonly contentType: string };

export interface RequestContext {
  readonly policy: RequestPolicy;
  readonly upstream: FhirUpstream;
  readonly session: Session;
  readonly principal: Principal;
  readonly tally: AuditTally;
  /** Absolute URL of the facade ("https://portal.example/fhir"). */
  readonly facadeBase: string;
  /** Where the facade is mounted ("/fhir"). */
  readonly basePath: string;
  /** The URL as asked (for Bundle self links). */
  readonly selfUrl: string;
  readonly accept: string;
  readonly now: number;
  readonly profile: HospitalProfile;
  readonly limits: FacadeLimits;
  readonly cursorKey: string | undefined;
}

export interface Admitted {
  readonly resource: Resource;
  readonly judgement: Judgement;
}

/**
 * The resource as the browser receives it: a Patient redacted for the decision (a teen's confidential contact data),
 * attachment URLs pointed at the facade, then trimmed. Only ever called with a "show" judgement.
 */
export function present(resource: Resource, judgement: Judgement, trim: ResultOptions, context: RequestContext): Resource {
  const base = context.upstream.baseUrl;
  let shown: Resource =
    judgement.omitReferences === undefined
      ? resource
      : omitReferences(resource, judgement.omitReferences, (reference) => toRelativeReference(reference, base));
  if (resource.resourceType === 'Patient') {
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

export function entryFor(admitted: Admitted, mode: 'match' | 'include' | undefined, trim: ResultOptions, context: RequestContext): BundleEntry {
  const { resource } = admitted;
  const shown = present(resource, admitted.judgement, trim, context);
  return {
    fullUrl: `${context.facadeBase}/${resource.resourceType}/${resource.id ?? ''}`,
    resource: shown,
    ...(mode === undefined ? {} : { search: { mode } }),
  };
}

export function referenceOf(resource: Resource): string | undefined {
  return resource.id === undefined ? undefined : `${resource.resourceType}/${resource.id}`;
}

/**
 * Reads one search or history page. `notFoundAs404`: a history's 4xx (the record went away between the check and the
 * read) answers like any missing record; a search's 4xx is a refusal of the query (502, fixed text).
 */
export async function readBundle(path: string, context: RequestContext, options: { notFoundAs404?: boolean } = {}): Promise<Bundle> {
  const bundle = await readPage(path, context, options);
  if (bundle === 'gone') throw new Error('unreachable: readPage answers gone only when asked to');
  return bundle;
}

/**
 * Reads a continuation page of a search or history: like readBundle, except that 404/410 (the server's cached search
 * has expired, as HAPI answers for a gone `_getpages` id) answers 'gone', for the caller to re-run the search.
 */
export async function readContinuationPage(path: string, context: RequestContext, options: { notFoundAs404?: boolean } = {}): Promise<Bundle | 'gone'> {
  return readPage(path, context, { ...options, goneAsAnswer: true });
}

async function readPage(path: string, context: RequestContext, options: { notFoundAs404?: boolean; goneAsAnswer?: boolean }): Promise<Bundle | 'gone'> {
  const answer = await context.upstream.getJson(path);
  if (!answer.ok) {
    if (options.goneAsAnswer === true && (answer.status === 404 || answer.status === 410)) return 'gone';
    if (options.notFoundAs404 === true && answer.status >= 400 && answer.status < 500) throw notFound();
    throw new FacadeError(502, 'exception', 'The health record system refused the search.', { cause: new UpstreamError('bad-status', 'search', { status: answer.status }) });
  }
  const bundle = answer.resource;
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry ?? [])) {
    throw new UpstreamError('not-fhir', 'The FHIR server answered a search with something other than a Bundle.');
  }
  return bundle;
}

/**
 * The upstream's next link, as a path on the FHIR base — or, for paging on the base itself (HAPI:
 * `{base}?_getpages=<id>&_getpagesoffset=…`), as that absolute URL, which the upstream client checks again before
 * sending the token. A link to any other place is a broken or hostile upstream: it is refused here (502), never
 * followed and never shown.
 */
export function nextLinkOf(bundle: Bundle, upstream: FhirUpstream): string | undefined {
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
  const onBaseItself = url.pathname === base.pathname.replace(/\/$/, '') && url.search !== '';
  if (url.origin !== base.origin || url.username !== '' || url.password !== '' || (!onBaseItself && !url.pathname.startsWith(base.pathname))) {
    throw new UpstreamError('foreign-origin', 'The FHIR server sent a paging link to another server.');
  }
  if (onBaseItself) return `${url.origin}${url.pathname}${url.search}`;
  return `${url.pathname.slice(base.pathname.length)}${url.search}`;
}

/** A read's refusal: 404, 410, 400 (invalid id) and any other 4xx look the same from outside. */
export function answerToError(status: number): FacadeError {
  if (status >= 400 && status < 500) return notFound();
  return new FacadeError(502, 'exception', 'The health record system answered unexpectedly.');
}

export function toFacadeError(error: unknown): FacadeError {
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
