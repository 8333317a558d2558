/**
 * Mapper input: a FHIR Bundle (searchset, batch/transaction, collection) or an array of resources, as the gateway
 * facade returns them. Arrays may also hold Bundles (one level is flattened). Anything that is not an object with a
 * string resourceType is ignored. References are resolved against the input only — never fetched.
 */
import type { Bundle, FhirResource, HumanName, Reference, Resource } from 'fhir/r4';
import { formatHumanName, preferredName, referenceDisplay } from './display.ts';
import { isRecord, items, record, text } from './safe.ts';

export type MapperInput = Bundle | readonly FhirResource[] | null | undefined;

export type ResourceType = FhirResource['resourceType'];
export type ResourceOf<T extends ResourceType> = Extract<FhirResource, { resourceType: T }>;

export interface ResourceIndex {
  /** Every resource in input order. */
  readonly all: readonly FhirResource[];
  /** Resources by "Type/id", by fullUrl and by "Type?identifier=system|value". */
  readonly byReference: ReadonlyMap<string, FhirResource>;
  /** Each resource's position in `all` (for stable keys of id-less resources). */
  readonly positions: ReadonlyMap<FhirResource, number>;
}

function isResource(x: unknown): x is FhirResource {
  return isRecord(x) && typeof x.resourceType === 'string' && x.resourceType !== '';
}

function isBundle(x: FhirResource): x is Bundle {
  return x.resourceType === 'Bundle';
}

/** Build the index once per mapping; every mapper accepts either raw input or an index. */
export function indexResources(input: MapperInput | ResourceIndex): ResourceIndex {
  if (isRecord(input) && input.byReference instanceof Map && input.positions instanceof Map && Array.isArray(input.all)) return input as unknown as ResourceIndex;
  const all: FhirResource[] = [];
  const byReference = new Map<string, FhirResource>();
  const positions = new Map<FhirResource, number>();
  const add = (resource: FhirResource, fullUrl: string | undefined): void => {
    const id = text(resource.id);
    // The same resource twice (e.g. a search match that is also an _include) is shown once.
    if (id !== undefined && byReference.has(`${resource.resourceType}/${id}`)) return;
    positions.set(resource, all.length);
    all.push(resource);
    if (id !== undefined) setOnce(byReference, `${resource.resourceType}/${id}`, resource);
    if (fullUrl !== undefined) setOnce(byReference, fullUrl, resource);
    const identifiers = (resource as { identifier?: unknown }).identifier;
    for (const identifier of items(Array.isArray(identifiers) ? (identifiers as unknown[]) : [])) {
      if (!isRecord(identifier)) continue;
      const value = text(identifier.value);
      if (value === undefined) continue;
      const system = text(identifier.system);
      setOnce(byReference, `${resource.resourceType}?identifier=${system === undefined ? '' : `${system}|`}${value}`, resource);
    }
  };
  const addBundle = (bundle: Bundle): void => {
    for (const entry of items(bundle.entry)) {
      const resource: unknown = entry.resource;
      if (isResource(resource) && !isBundle(resource)) add(resource, text(entry.fullUrl));
    }
  };
  if (Array.isArray(input)) {
    for (const element of input as unknown[]) {
      if (!isResource(element)) continue;
      if (isBundle(element)) addBundle(element);
      else add(element, undefined);
    }
  } else if (isResource(input)) {
    if (isBundle(input)) addBundle(input);
    else add(input, undefined);
  }
  return { all, byReference, positions };
}

function setOnce(map: Map<string, FhirResource>, key: string, resource: FhirResource): void {
  if (!map.has(key)) map.set(key, resource);
}

export function resourcesOfType<T extends ResourceType>(index: ResourceIndex, type: T): ResourceOf<T>[] {
  return index.all.filter((r): r is ResourceOf<T> => r.resourceType === type);
}

/**
 * Resolve a Reference: "#id" against `container.contained`, otherwise against the input (relative "Type/id",
 * absolute URLs ending in "Type/id", urn:uuid fullUrls, conditional "Type?identifier=…").
 */
export function resolveReference(index: ResourceIndex, reference: Reference | undefined, container?: Resource): FhirResource | undefined {
  const ref = record(reference);
  if (ref === undefined) return undefined;
  const target = text(ref.reference);
  if (target === undefined) return undefined;
  if (target.startsWith('#')) {
    const holder = record(container) as { contained?: unknown } | undefined;
    const contained = holder === undefined ? [] : Array.isArray(holder.contained) ? (holder.contained as unknown[]) : [];
    const wanted = target.slice(1);
    for (const c of contained) if (isResource(c) && c.id === wanted) return c;
    return undefined;
  }
  const direct = index.byReference.get(target);
  if (direct !== undefined) return direct;
  // Absolute URL to a resource on a FHIR base: use its last two path segments (optionally before /_history/n).
  const match = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(target);
  if (match) return index.byReference.get(`${match[1]}/${match[2]}`);
  return undefined;
}

/** The name of a resource that has one (people by HumanName, places and organisations by name). */
export function resourceName(resource: FhirResource | undefined): string | undefined {
  if (resource === undefined) return undefined;
  switch (resource.resourceType) {
    case 'Patient':
    case 'Practitioner':
    case 'RelatedPerson':
    case 'Person':
      return formatHumanName(preferredName(resource.name as HumanName[] | undefined));
    case 'Organization':
    case 'Location':
    case 'HealthcareService':
    case 'Group':
      return text(resource.name);
    case 'PractitionerRole': {
      return text(record(resource.practitioner)?.display) ?? text(record(resource.organization)?.display);
    }
    case 'Device': {
      for (const n of items(resource.deviceName)) {
        const t = text(n.name);
        if (t !== undefined) return t;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** What to show for a reference: its display, else the referenced resource's name when the input includes it. */
export function referenceText(index: ResourceIndex, reference: Reference | undefined, container?: Resource): string | undefined {
  return referenceDisplay(reference) ?? resourceName(resolveReference(index, reference, container));
}

/** The distinct displayable texts of a list of references, in order. */
export function referenceTexts(index: ResourceIndex, references: readonly (Reference | undefined)[], container?: Resource): string[] {
  const out: string[] = [];
  for (const ref of references) {
    const t = referenceText(index, ref, container);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  return out;
}

/** A key for keyed rendering: "Type/id" when the resource has an id, else a positional one. */
export function keyOf(resource: Resource, position: number): string {
  const id = text(resource.id);
  return id !== undefined ? `${resource.resourceType}/${id}` : `${resource.resourceType}#${position}`;
}
