/**
 * Step 1 and 2 of the facade pipeline, pure: turn a method + path + query into a FacadeRequest, or refuse it with a
 * fixed-text FacadeError. Everything the facade does not understand is refused here, before any upstream call:
 * writes, operations, GraphQL, chains, `_has`, `_filter`, `_total`, `_summary=count`, unknown parameters, unknown types.
 */
import { FacadeError, notFound, refused } from './outcome.ts';
import type { SummaryMode } from './trim.ts';
import type { ParameterKind } from './search-parameters.ts';
import { ALLOWED_MODIFIERS, PATIENT_TYPES, REFUSED_PARAMETERS, SHARED_TYPES, isServedType, parametersFor } from './search-parameters.ts';

/** FHIR id: [A-Za-z0-9\-\.]{1,64}. */
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

export interface ResultOptions {
  readonly summary?: SummaryMode;
  readonly elements?: readonly string[];
}

/** A canonical search: this is what a cursor carries, and what is re-checked on every page. */
export interface SearchQuery extends ResultOptions {
  readonly type: string;
  /** The patients the search is scoped to. For `Patient` searches: the ids asked for with `_id` (empty = all permitted). */
  readonly patientIds: readonly string[];
  /** Other parameters, forwarded upstream as given (name may carry an allowed modifier), in request order. */
  readonly filters: readonly (readonly [string, string])[];
  readonly includes: readonly string[];
  readonly revincludes: readonly string[];
  readonly sort?: string;
  readonly count?: number;
}

export type FacadeRequest =
  | ({ readonly kind: 'read'; readonly type: string; readonly id: string } & ResultOptions)
  | ({ readonly kind: 'vread'; readonly type: string; readonly id: string; readonly versionId: string } & ResultOptions)
  | ({ readonly kind: 'history'; readonly type: string; readonly id: string; readonly count?: number } & ResultOptions)
  | { readonly kind: 'search'; readonly query: SearchQuery }
  | { readonly kind: 'binary'; readonly id: string }
  | { readonly kind: 'page'; readonly cursor: string }
  | { readonly kind: 'batch' }
  | { readonly kind: 'capabilities' };

export interface ParseLimits {
  readonly maxPageSize: number;
}

const WRITE_REFUSED = 'This gateway is read-only: creating, changing or deleting records is not supported here.';

/**
 * @param segments path segments after the facade's mount point, already percent-decoded.
 * @param params the query string.
 */
export function parseFacadeRequest(method: string, segments: readonly string[], params: URLSearchParams, limits: ParseLimits): FacadeRequest {
  const [first, second, third, fourth, ...rest] = segments;
  if (segments.some((segment) => segment.startsWith('$')) || params.has('_graphql')) {
    throw refused('FHIR operations (such as $everything, $export or $graphql) are not supported by this gateway.');
  }
  if (first === '_graphql' || first === '$graphql') throw refused('GraphQL is not supported by this gateway.');

  if (method === 'POST' && segments.length === 0) return { kind: 'batch' };
  if (method !== 'GET' && method !== 'HEAD') throw new FacadeError(405, 'not-supported', WRITE_REFUSED);

  if (first === undefined) throw refused('Searching across all resource types is not supported; search one type for one patient.');
  if (first === 'metadata' && segments.length === 1) return { kind: 'capabilities' };
  if (first === '_page' && segments.length === 1) {
    const cursor = params.get('cursor');
    if (cursor === null || [...params.keys()].length !== 1) throw refused('A paging link must carry exactly one cursor.');
    return { kind: 'page', cursor };
  }
  if (first === '_history') throw refused('History across the whole server is not supported by this gateway.');
  if (first === 'Binary') {
    if (second === undefined) throw refused('Binary resources cannot be searched.');
    if (segments.length !== 2) throw refused('Binary resources support only plain reads here.');
    onlyParameters(params, []);
    if (!ID.test(second)) throw notFound();
    return { kind: 'binary', id: second };
  }
  if (!TYPE.test(first) || !isServedType(first)) throw refused('This resource type is not available through this gateway.');

  if (second === undefined) return { kind: 'search', query: parseSearch(first, [], params, limits) };
  if (second === '_history') throw refused('History of a whole resource type is not supported; ask for one record’s history.');
  if (second === '_search') throw refused('Search by POST is not supported; use GET.');
  // From here on the second segment is an id. A malformed id cannot exist: answer exactly as for a missing record.
  if (!ID.test(second)) throw notFound();

  if (third === undefined) {
    onlyParameters(params, ['_elements', '_summary', '_format']);
    return { kind: 'read', type: first, id: second, ...parseResultOptions(params) };
  }
  if (third === '_history') {
    if (fourth === undefined) {
      onlyParameters(params, ['_count', '_elements', '_summary', '_format']);
      const count = parseCount(params, limits);
      return { kind: 'history', type: first, id: second, ...(count === undefined ? {} : { count }), ...parseResultOptions(params) };
    }
    if (rest.length > 0) throw refused('This address is not a FHIR interaction this gateway supports.');
    onlyParameters(params, ['_elements', '_summary', '_format']);
    if (!ID.test(fourth)) throw notFound();
    return { kind: 'vread', type: first, id: second, versionId: fourth, ...parseResultOptions(params) };
  }
  // Compartment search: Patient/<id>/<Type>
  if (first === 'Patient' && fourth === undefined) {
    if (!TYPE.test(third) || !Object.hasOwn(PATIENT_TYPES, third)) {
      throw refused('This resource type cannot be searched in a patient’s record through this gateway.');
    }
    return { kind: 'search', query: parseSearch(third, [second], params, limits) };
  }
  throw refused('This address is not a FHIR interaction this gateway supports.');
}

function parseSearch(type: string, compartmentPatientIds: readonly string[], params: URLSearchParams, limits: ParseLimits): SearchQuery {
  if (SHARED_TYPES.includes(type)) throw refused('This resource type can be read but not searched through this gateway.');
  const allowed = parametersFor(type);
  const rules = PATIENT_TYPES[type];
  if (allowed === undefined) throw refused('This resource type cannot be searched through this gateway.');

  const patientIds: string[] = [...compartmentPatientIds];
  let scopedByParameter = false;
  const filters: (readonly [string, string])[] = [];
  const includes: string[] = [];
  const revincludes: string[] = [];
  let sort: string | undefined;

  for (const [rawName, value] of params) {
    const [name = '', modifier, ...extra] = rawName.split(':');
    checkNotRefused(name, rawName);
    if (name.includes('.') || extra.length > 0) throw refused('Chained search parameters are not supported by this gateway.');

    switch (name) {
      case '_count':
      case '_elements':
      case '_summary':
      case '_format':
        if (modifier !== undefined) throw refused('Result parameters take no modifiers.');
        continue; // read below by parseResultOptions / parseCount
      case '_total':
        if (modifier !== undefined || value !== 'none') {
          throw refused('Result totals are not available through this gateway (_total is not supported).');
        }
        continue;
      case '_sort':
        if (modifier !== undefined || sort !== undefined) throw refused('Give _sort once, without modifiers.');
        sort = parseSort(value, allowed);
        continue;
      case '_include':
        if (modifier !== undefined) throw refused('Iterative includes (_include:iterate) are not supported by this gateway.');
        includes.push(parseInclude(value, type));
        continue;
      case '_revinclude':
        if (modifier !== undefined) throw refused('Iterative includes (_revinclude:iterate) are not supported by this gateway.');
        revincludes.push(parseRevinclude(value));
        continue;
      default:
        break;
    }

    if (rules !== undefined && rules.patientParameters.includes(name)) {
      if (modifier !== undefined) throw refused('The patient parameter takes no modifiers here.');
      if (scopedByParameter || compartmentPatientIds.length > 0) throw refused('Name the patient once per search.');
      scopedByParameter = true;
      patientIds.push(...parsePatientIds(value));
      continue;
    }
    if (type === 'Patient' && name === '_id') {
      if (modifier !== undefined) throw refused('_id takes no modifiers here.');
      if (scopedByParameter) throw refused('Give _id once per Patient search.');
      scopedByParameter = true;
      // An id that cannot exist simply matches nothing: the facade intersects with the permitted patients.
      patientIds.push(...value.split(',').filter((id) => ID.test(id)));
      if (patientIds.length === 0) patientIds.push('-');
      continue;
    }
    const kind = allowed[name];
    if (kind === undefined) throw refused('This search parameter is not supported by this gateway.');
    if (modifier !== undefined && !ALLOWED_MODIFIERS[kind].includes(modifier)) {
      throw refused('This search modifier is not supported by this gateway.');
    }
    checkValue(kind, modifier, value);
    filters.push([rawName, value]);
  }

  if (type !== 'Patient' && patientIds.length === 0) {
    throw refused('Searches must name a patient (for example ?patient=Patient/123, or Patient/123/Observation).');
  }
  const count = parseCount(params, limits);
  return {
    type,
    patientIds: [...new Set(patientIds)],
    filters,
    includes,
    revincludes,
    ...(sort === undefined ? {} : { sort }),
    ...(count === undefined ? {} : { count }),
    ...parseResultOptions(params),
  };
}

function checkNotRefused(name: string, rawName: string): void {
  const reason = REFUSED_PARAMETERS[name];
  if (reason !== undefined) throw refused(reason);
  if (rawName.startsWith('_has')) throw refused(REFUSED_PARAMETERS['_has'] ?? 'Not supported.');
}

/** Parameters allowed on non-search interactions; anything else is refused. */
function onlyParameters(params: URLSearchParams, names: readonly string[]): void {
  for (const name of params.keys()) {
    const bare = name.split(':')[0] ?? name;
    checkNotRefused(bare, name);
    if (!names.includes(name)) throw refused('This parameter is not supported on this interaction.');
  }
  parseResultOptions(params);
}

function parseResultOptions(params: URLSearchParams): ResultOptions {
  const format = params.getAll('_format');
  for (const value of format) {
    if (!['json', 'application/json', 'application/fhir+json'].includes(value)) throw refused('Only JSON is available (_format=json).');
  }
  const summaries = params.getAll('_summary');
  if (summaries.length > 1) throw refused('Give _summary once.');
  const summary = summaries[0];
  if (summary === 'count') throw refused('Counting results (_summary=count) is not supported by this gateway.');
  if (summary !== undefined && summary !== 'true' && summary !== 'text' && summary !== 'data' && summary !== 'false') {
    throw refused('_summary must be true, text, data or false.');
  }
  const elementsValues = params.getAll('_elements');
  if (elementsValues.length > 0 && summary !== undefined && summary !== 'false') throw refused('Use either _summary or _elements, not both.');
  const elements = elementsValues.flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  for (const element of elements) {
    if (!/^[a-z][A-Za-z0-9]{0,63}(\[x\])?$/.test(element)) throw refused('_elements lists top-level element names only.');
  }
  return {
    ...(summary === undefined ? {} : { summary }),
    ...(elements.length === 0 ? {} : { elements }),
  };
}

function parseCount(params: URLSearchParams, limits: ParseLimits): number | undefined {
  const values = params.getAll('_count');
  if (values.length === 0) return undefined;
  const value = values[0] ?? '';
  if (values.length > 1 || !/^\d{1,6}$/.test(value)) throw refused('_count must be one whole number.');
  const count = Number(value);
  if (count === 0) throw refused('Counting results (_count=0) is not supported by this gateway.');
  return Math.min(count, limits.maxPageSize);
}

function parsePatientIds(value: string): string[] {
  const ids = value.split(',').map((part) => (part.startsWith('Patient/') ? part.slice('Patient/'.length) : part));
  if (ids.some((id) => !ID.test(id))) {
    throw refused('The patient parameter must be a patient id or a relative reference such as Patient/123.');
  }
  return ids;
}

function parseSort(value: string, allowed: Readonly<Record<string, ParameterKind>>): string {
  const keys = value.split(',');
  for (const key of keys) {
    const name = key.startsWith('-') ? key.slice(1) : key;
    if (!Object.hasOwn(allowed, name)) throw refused('Sorting by this parameter is not supported by this gateway.');
  }
  return value;
}

/** `_include=<SearchType>:<reference or patient parameter>`; no wildcard, no target-type narrowing. */
function parseInclude(value: string, type: string): string {
  const [source, parameter, ...extra] = value.split(':');
  if (source !== type || parameter === undefined || extra.length > 0 || !isReferenceParameter(type, parameter)) {
    throw refused('This _include is not supported by this gateway.');
  }
  return value;
}

/** `_revinclude=<PatientType>:<reference or patient parameter>`. */
function parseRevinclude(value: string): string {
  const [source, parameter, ...extra] = value.split(':');
  if (source === undefined || parameter === undefined || extra.length > 0 || !Object.hasOwn(PATIENT_TYPES, source) || !isReferenceParameter(source, parameter)) {
    throw refused('This _revinclude is not supported by this gateway.');
  }
  return value;
}

function isReferenceParameter(type: string, parameter: string): boolean {
  if (type === 'Patient') return false;
  const rules = PATIENT_TYPES[type];
  if (rules === undefined) return false;
  return rules.patientParameters.includes(parameter) || rules.parameters[parameter] === 'reference';
}

/** Values must not smuggle a chain, an absolute URL or a second query into the upstream request. */
function checkValue(kind: ParameterKind, modifier: string | undefined, value: string): void {
  if (value.length > 512) throw refused('A search value is too long.');
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw refused(':missing takes true or false.');
    return;
  }
  if (kind === 'reference') {
    for (const part of value.split(',')) {
      if (!/^([A-Z][A-Za-z]{1,63}\/)?[A-Za-z0-9\-.]{1,64}$/.test(part)) {
        throw refused('Reference parameters take an id or a relative reference such as Encounter/123.');
      }
    }
  }
}
