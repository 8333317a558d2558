/**
 * Loading the child's record through the gateway's policy-enforcing /fhir facade. Thin shell over fetchFhir:
 * which queries a section needs, running independent ones in parallel, and following the gateway's paging cursors.
 *
 * Contracts:
 * - Every request goes through fetchFhir (same origin, under /fhir/); a `next` link that is not a same-origin
 *   /fhir/ URL is never followed (the gateway hands out its own cursors; anything else is a bug or an attack).
 * - A section never waits on more than two sequential round trips (first page, then at most a bounded number of
 *   cursor pages for series that must be complete, such as lab trends). Longer lists page on demand ("Show more").
 * - Aborts propagate: pass @lit/task's signal.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import { fetchFhir } from '../api/gateway-client.ts';
import type { RecordSection, RecordScope, SummaryPart } from './record-sections.ts';

/** One page of search results plus the gateway path of the next page, if any. */
export interface ResourcePage {
  readonly resources: readonly FhirResource[];
  /** Path relative to /fhir/ (for fetchFhir), or undefined on the last page. */
  readonly next?: string;
}

/** The searches behind each kind of data, for one patient. Ids are URL-encoded here, once. */
export function recordQueries(patientId: string) {
  const p = encodeURIComponent(patientId);
  return {
    patient: `Patient/${p}`,
    conditions: `Condition?patient=${p}`,
    allergies: `AllergyIntolerance?patient=${p}`,
    medications: `MedicationRequest?patient=${p}&_include=MedicationRequest:medication`,
    immunizations: `Immunization?patient=${p}`,
    labObservations: `Observation?patient=${p}&category=laboratory&_count=200`,
    vitalSigns: `Observation?patient=${p}&category=vital-signs&_count=200`,
    reports: `DiagnosticReport?patient=${p}`,
    encounters: `Encounter?patient=${p}`,
    documents: `DocumentReference?patient=${p}`,
    appointments: `Appointment?patient=${p}`,
  } as const;
}
export type RecordQueryName = keyof ReturnType<typeof recordQueries>;

/**
 * The gateway path (relative to /fhir/) of a bundle's `next` link, or undefined when there is none or when it is
 * not a same-origin URL under /fhir/ (never followed). `origin` is the page's origin.
 */
export function nextPagePath(bundle: Pick<Bundle, 'link'>, origin: string): string | undefined {
  const href = bundle.link?.find((link) => link.relation === 'next')?.url;
  if (!href) return undefined;
  let url: URL;
  try {
    url = new URL(href, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || !url.pathname.startsWith('/fhir/') || url.username !== '' || url.password !== '') return undefined;
  const path = url.pathname.slice('/fhir/'.length) + url.search;
  return path === '' ? undefined : path;
}

/** The resources of a search bundle, in order; entries without a resource are skipped. */
export function bundleResources(bundle: Bundle): FhirResource[] {
  // Bundle.entry.resource is typed as the abstract Resource; everything the gateway returns is a concrete type.
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource as FhirResource] : []));
}

export async function fetchPage(path: string, signal: AbortSignal): Promise<ResourcePage> {
  const bundle = await fetchFhir<Bundle>(path, signal);
  if (bundle.resourceType !== 'Bundle') throw new TypeError(`Expected a Bundle from ${path.split('?')[0]}`);
  const next = nextPagePath(bundle, window.location.origin);
  return next === undefined ? { resources: bundleResources(bundle) } : { resources: bundleResources(bundle), next };
}

/** Follows cursors up to `maxPages` pages in all; the result keeps the cursor of the first page not fetched. */
export async function fetchPages(path: string, signal: AbortSignal, maxPages: number): Promise<ResourcePage> {
  const resources: FhirResource[] = [];
  let next: string | undefined = path;
  for (let page = 0; next !== undefined && page < maxPages; page++) {
    const result: ResourcePage = await fetchPage(next, signal);
    resources.push(...result.resources);
    next = result.next;
  }
  return next === undefined ? { resources } : { resources, next };
}

/** The Patient resource. A 404 (hidden or missing — the gateway makes them identical) rejects with GatewayError. */
export async function fetchPatient(patientId: string, signal: AbortSignal): Promise<FhirResource> {
  return fetchFhir<FhirResource>(recordQueries(patientId).patient, signal);
}

/** The searches each section runs (besides the Patient, which every section reads for the banner). */
export function queriesForSection(section: RecordSection, scope: RecordScope): readonly RecordQueryName[] {
  const summary = (part: SummaryPart, name: RecordQueryName): RecordQueryName[] => (scope.summaryParts.includes(part) ? [name] : []);
  const parts = [
    ...summary('conditions', 'conditions'),
    ...summary('allergies', 'allergies'),
    ...summary('medications', 'medications'),
    ...summary('immunizations', 'immunizations'),
  ];
  switch (section) {
    case 'summary':
      return scope.sections.includes('results') ? [...parts, 'vitalSigns'] : parts;
    case 'print':
      return parts;
    case 'results':
      return ['labObservations', 'reports'];
    case 'imaging':
      return ['reports'];
    case 'visits':
      return ['encounters'];
    case 'documents':
      return ['documents'];
    case 'appointments':
      return ['appointments'];
    default:
      return [];
  }
}

/** Lab trends need every point: the lab search follows a few cursors up front; other lists page on demand. */
const PAGES_UP_FRONT: Partial<Record<RecordQueryName, number>> = { labObservations: 5, vitalSigns: 3 };

export type SectionPages = Partial<Record<RecordQueryName, ResourcePage>>;

/**
 * Runs the Patient read and every search of a section in parallel. Rejects with the first failure (the section
 * shows one error with a Retry), so a partial page never pretends to be the whole record.
 */
export async function loadSection(
  patientId: string,
  section: RecordSection,
  scope: RecordScope,
  signal: AbortSignal,
): Promise<{ patient: FhirResource; pages: SectionPages }> {
  const queries = recordQueries(patientId);
  const names = queriesForSection(section, scope);
  const [patient, ...pages] = await Promise.all([
    fetchPatient(patientId, signal),
    ...names.map((name) => fetchPages(queries[name], signal, PAGES_UP_FRONT[name] ?? 1)),
  ]);
  const byName: SectionPages = {};
  names.forEach((name, index) => {
    const page = pages[index];
    if (page) byName[name] = page;
  });
  return { patient, pages: byName };
}

/** All resources loaded so far for one query (empty when the section did not ask for it). */
export function resourcesOf(pages: SectionPages, name: RecordQueryName): readonly FhirResource[] {
  return pages[name]?.resources ?? [];
}
