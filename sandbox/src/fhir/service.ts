/**
 * The sandbox's FHIR R4 server: Medplum's fhir-router over its in-memory repository, plus what that pairing lacks
 * for a SMART client — paging links, `fullUrl`s, patient-compartment search, conditional references in bundles,
 * raw Binary, and a CapabilityStatement. Transport-free: the HTTP shell turns requests into `FhirHttpRequest`.
 */
import { getStatus, normalizeOperationOutcome, parseSearchRequest } from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { HttpMethod } from '@medplum/fhir-router';
import type { Bundle as MedplumBundle, Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Binary, Bundle, FhirResource, OperationOutcome } from 'fhir/r4';
import { capabilityStatement, type AuthorizationEndpoints } from './capability.ts';
import { resolveConditionalReferences, UnresolvableReferenceError } from './conditional-references.ts';
import { buildPagingLinks } from './paging.ts';
import { ensureFhirSchemaIndexed, fhirResourceTypes, patientCompartmentParams } from './schema.ts';

export interface FhirHttpRequest {
  readonly method: string;
  /** Path below the FHIR base, starting with `/` (e.g. `/Patient/1`, `/` for bundles). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly accept: string | undefined;
  /** Conditional-request headers, passed to the router: `if-none-exist` (conditional create), `if-match` (versioned update). */
  readonly conditions?: { readonly ifNoneExist?: string; readonly ifMatch?: string };
}

export interface FhirHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const TYPE_SEGMENT = /^[A-Z][A-Za-z]+$/;
/** Upper bound on the ids a compartment search collects before paging (the sandbox holds demo-sized data). */
const COMPARTMENT_ID_LIMIT = 5000;

function outcome(severity: 'error' | 'information', code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: code as 'invalid', details: { text } }] };
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): FhirHttpResponse {
  return { status, headers: { 'content-type': FHIR_JSON, ...headers }, body: JSON.stringify(body) };
}

function wantsFhirJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return /application\/(fhir\+)?json/i.test(accept);
}

export class FhirService {
  readonly repo: MemoryRepository;
  readonly fhirBaseUrl: string;
  #router: FhirRouter;
  #compartment: ReadonlyMap<string, readonly string[]>;
  #resourceTypes: readonly string[];
  #endpoints: AuthorizationEndpoints | undefined;

  constructor(options: { fhirBaseUrl: string; endpoints?: AuthorizationEndpoints }) {
    ensureFhirSchemaIndexed();
    this.repo = new MemoryRepository();
    this.#router = new FhirRouter();
    this.fhirBaseUrl = options.fhirBaseUrl.replace(/\/$/, '');
    this.#compartment = patientCompartmentParams();
    this.#resourceTypes = fhirResourceTypes();
    this.#endpoints = options.endpoints;
  }

  async handle(request: FhirHttpRequest): Promise<FhirHttpResponse> {
    try {
      return await this.#handle(request);
    } catch (error) {
      if (error instanceof UnresolvableReferenceError) {
        return jsonResponse(412, outcome('error', 'processing', error.message));
      }
      const normalized = normalizeOperationOutcome(error) as OperationOutcome;
      return jsonResponse(getStatus(normalized as MedplumOutcome), normalized);
    }
  }

  /** Loads seed items: bundles go through batch/transaction processing, loose resources are upserted by id. */
  async load(items: ReadonlyArray<FhirResource>): Promise<void> {
    for (const item of items) {
      const bundle: Bundle = item.resourceType === 'Bundle' && (item.type === 'transaction' || item.type === 'batch')
        ? item
        : { resourceType: 'Bundle', type: 'batch', entry: [looseEntry(item)] };
      const response = await this.handle({ method: 'POST', path: '/', query: new URLSearchParams(), body: bundle, accept: undefined });
      const failure = firstBundleFailure(response);
      if (failure) throw new Error(`Seed item could not be loaded: ${failure}`);
    }
  }

  /** Runs a search such as `Practitioner?identifier=x|y` and returns the matching resources (no paging). */
  async searchResources(searchUrl: string): Promise<FhirResource[]> {
    const resources = await this.repo.searchResources(parseSearchRequest(searchUrl));
    return resources as FhirResource[];
  }

  async #handle(request: FhirHttpRequest): Promise<FhirHttpResponse> {
    const method = request.method.toUpperCase() as HttpMethod;
    if (!METHODS.includes(method)) return jsonResponse(405, outcome('error', 'not-supported', `Method ${request.method} not supported`));
    const path = request.path.replace(/\/+$/, '') || '/';

    if (method === 'GET' && path === '/metadata') {
      return jsonResponse(200, capabilityStatement({
        fhirBaseUrl: this.fhirBaseUrl, resourceTypes: this.#resourceTypes, endpoints: this.#endpoints,
        software: { name: 'Sprout sandbox EHR', version: '0.1.0' },
      }));
    }

    const segments = path.split('/').filter(Boolean);
    if (method === 'GET' && segments.length === 2 && segments[0] === 'Binary' && !wantsFhirJson(request.accept)) {
      return this.#rawBinary(segments[1] ?? '');
    }
    if (method === 'GET' && segments.length === 3 && segments[0] === 'Patient' && TYPE_SEGMENT.test(segments[2] ?? '')) {
      return this.#compartmentSearch(segments[1] ?? '', segments[2] ?? '', request.query);
    }

    let body = request.body;
    if (method === 'POST' && path === '/' && isBundle(body)) {
      body = structuredClone(body);
      await resolveConditionalReferences(body as Bundle, (url) => this.searchResources(url));
    }
    return this.#route(method, path, request.query, body, request.conditions);
  }

  async #route(method: HttpMethod, path: string, query: URLSearchParams, body: unknown, conditions?: FhirHttpRequest['conditions']): Promise<FhirHttpResponse> {
    const queryText = query.toString();
    const url = queryText ? `${path}?${queryText}` : path;
    const requestHeaders: Record<string, string> = {};
    if (conditions?.ifNoneExist) requestHeaders['if-none-exist'] = conditions.ifNoneExist;
    if (conditions?.ifMatch) requestHeaders['if-match'] = conditions.ifMatch;
    const [result, resource] = await this.#router.handleRequest(
      { method, url, pathname: '', params: {}, query: {}, body, headers: requestHeaders, config: { transactions: true } },
      this.repo,
    );
    const status = getStatus(result);
    if (!resource) return jsonResponse(status, result);
    const output = resource as FhirResource;
    if (output.resourceType === 'Bundle' && output.type === 'searchset') {
      return jsonResponse(status, this.#decorateSearchset(output, path, query));
    }
    const headers: Record<string, string> = {};
    if (output.meta?.versionId) headers.etag = `W/"${output.meta.versionId}"`;
    if (output.meta?.lastUpdated) headers['last-modified'] = new Date(output.meta.lastUpdated).toUTCString();
    if (status === 201 && output.id) {
      headers.location = `${this.fhirBaseUrl}/${output.resourceType}/${output.id}/_history/${output.meta?.versionId ?? '1'}`;
    }
    return jsonResponse(status, output, headers);
  }

  #decorateSearchset(bundle: Bundle, path: string, query: URLSearchParams): Bundle {
    const entry = (bundle.entry ?? []).map((item) => (
      item.resource?.id ? { fullUrl: `${this.fhirBaseUrl}/${item.resource.resourceType}/${item.resource.id}`, ...item } : item
    ));
    const matchCount = entry.filter((item) => item.search?.mode !== 'include').length;
    const link = buildPagingLinks({ searchUrl: `${this.fhirBaseUrl}${path === '/' ? '' : path}`, query, matchCount, total: bundle.total });
    return { ...bundle, link, entry };
  }

  /**
   * `GET Patient/{id}/{Type}`: the union of `{Type}?{param}=Patient/{id}` over every parameter the R4 Patient
   * CompartmentDefinition lists for that type, then the client's own query (sort, paging, includes) over that set.
   */
  async #compartmentSearch(patientId: string, type: string, query: URLSearchParams): Promise<FhirHttpResponse> {
    const params = this.#compartment.get(type);
    if (!params) return jsonResponse(400, outcome('error', 'not-supported', `${type} is not in the Patient compartment`));
    const ids = new Set<string>();
    for (const param of params) {
      const value = param === '_id' ? patientId : `Patient/${patientId}`;
      const found = await this.repo.searchResources(parseSearchRequest(type, { [param]: value, _count: String(COMPARTMENT_ID_LIMIT) }));
      for (const resource of found) ids.add(resource.id);
    }
    const scoped = new URLSearchParams(query);
    scoped.delete('_id');
    // An impossible id keeps an empty compartment empty instead of turning the search into "all resources".
    scoped.set('_id', ids.size > 0 ? [...ids].join(',') : 'sprout-no-such-resource');
    const response = await this.#route('GET', `/${type}`, scoped, undefined);
    if (response.status !== 200 || typeof response.body !== 'string') return response;
    // Paging links must name the compartment URL the client used, not the internal `_id` search.
    const bundle = JSON.parse(response.body) as Bundle;
    const entry = bundle.entry ?? [];
    const link = buildPagingLinks({
      searchUrl: `${this.fhirBaseUrl}/Patient/${encodeURIComponent(patientId)}/${type}`, query,
      matchCount: entry.filter((item) => item.search?.mode !== 'include').length, total: bundle.total,
    });
    return jsonResponse(200, { ...bundle, link });
  }

  async #rawBinary(id: string): Promise<FhirHttpResponse> {
    let binary: Binary;
    try {
      binary = await this.repo.readResource<MedplumResource>('Binary', id) as unknown as Binary;
    } catch (error) {
      const normalized = normalizeOperationOutcome(error) as OperationOutcome;
      return jsonResponse(getStatus(normalized as MedplumOutcome), normalized);
    }
    const bytes = Buffer.from(binary.data ?? '', 'base64');
    return {
      status: 200,
      headers: { 'content-type': binary.contentType || 'application/octet-stream', 'content-length': String(bytes.length) },
      body: bytes,
    };
  }
}

type MedplumOutcome = Parameters<typeof getStatus>[0];

function isBundle(value: unknown): value is MedplumBundle {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'Bundle';
}

function looseEntry(resource: FhirResource): NonNullable<Bundle['entry']>[number] {
  return resource.id
    ? { resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } }
    : { resource, request: { method: 'POST', url: resource.resourceType } };
}

/** The first failed entry of a batch/transaction response, described for an error message. */
function firstBundleFailure(response: FhirHttpResponse): string | undefined {
  if (typeof response.body !== 'string') return `unexpected response (${response.status})`;
  const parsed = JSON.parse(response.body) as FhirResource;
  if (response.status >= 400 || parsed.resourceType !== 'Bundle') {
    return parsed.resourceType === 'OperationOutcome' ? describe(parsed) : `HTTP ${response.status}`;
  }
  for (const entry of parsed.entry ?? []) {
    const status = Number.parseInt(entry.response?.status ?? '', 10);
    if (!(status >= 200 && status < 300)) {
      const detail = entry.response?.outcome?.resourceType === 'OperationOutcome' ? describe(entry.response.outcome as FhirResource) : '';
      return `entry answered ${entry.response?.status ?? 'nothing'} ${detail}`.trim();
    }
  }
  return undefined;
}

function describe(result: FhirResource): string {
  if (result.resourceType !== 'OperationOutcome') return result.resourceType;
  return result.issue.map((issue) => issue.details?.text ?? issue.diagnostics ?? issue.code).join('; ');
}
