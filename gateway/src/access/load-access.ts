/**
 * The shell that gathers policy facts from the EHR: who the principal is, which patients they may be related to,
 * and, per patient, the RelatedPersons and Consents the policy core needs. It performs I/O through the session's
 * FhirUpstream and hands plain values to the pure core (decidePatientAccess).
 *
 * Contract: every upstream failure propagates as a thrown error. Callers must fail closed (no decision → no access);
 * a partial set of grants or consents must never be decided on, because a missing court-order Consent would widen access.
 */
import type { Bundle, Consent, FhirResource, HumanName, Patient, Person, RelatedPerson } from 'fhir/r4';
import { formatHumanName, preferredName } from '../../../fhir-mappings/src/index.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { SessionFacts } from './facts-cache.ts';
import { UpstreamError } from '../fhir/upstream.ts';
import { decidePatientAccess, patientReferencesForPrincipal } from '../policy/index.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { PatientAccessDecision, Principal } from '../policy/types.ts';

export interface PatientAccess {
  readonly patient: Patient;
  readonly decision: PatientAccessDecision;
}

export interface FamilyAccess {
  /** The signed-in person: display name and administrative gender (for the app's grammatical agreement). */
  readonly user: { readonly name: string; readonly gender?: string };
  readonly patients: readonly PatientAccess[];
}

export interface LoadAccessOptions {
  readonly profile: HospitalProfile;
  readonly asOf: Date;
  /** The patient named by an EHR launch (the only patient a Practitioner may act for). */
  readonly launchPatientId?: string;
  readonly signal?: AbortSignal;
  /**
   * The session's facts kept for a bounded time (facts-cache.ts); without it every loader reads them from the EHR.
   * Decisions are never kept: they are made again from the facts with `asOf`.
   */
  readonly facts?: SessionFacts;
}

/** Searches are paged upstream; facts gathering follows at most this many pages per search, then fails closed. */
const MAX_FACT_PAGES = 20;

/**
 * The access facts of one principal, for one request: the principal's own resource and the RelatedPersons it acts
 * through are read once, however many patients the request touches. Never keep a loader past its request: facts
 * outlive it only through `options.facts`, whose bound (FACTS_CACHE_SECONDS) is how late a revoked grant takes effect.
 */
export interface AccessLoader {
  /** Every patient the principal may be related to, each with the policy's decision. */
  family(): Promise<FamilyAccess>;
  /**
   * The decision for one patient, or undefined when the principal has no relation to that patient at all
   * (the facade answers that exactly like a missing record).
   */
  patient(patientId: string): Promise<PatientAccess | undefined>;
}

export function createAccessLoader(upstream: FhirUpstream, principal: Principal, options: LoadAccessOptions): AccessLoader {
  let principalFacts: Promise<PrincipalFacts> | undefined;
  const factsOfPrincipal = (): Promise<PrincipalFacts> =>
    (principalFacts ??= cachedFacts(options, 'principal', () => loadPrincipalFacts(upstream, principal, options.signal)));
  return {
    async family() {
      const facts = await factsOfPrincipal();
      const candidates = candidatePatientIds(principal, facts, options.launchPatientId);
      const patients = await Promise.all(
        candidates.map((patientId) => loadPatientAccessWithFacts(upstream, principal, facts, patientId, options)),
      );
      return {
        user: { name: displayName(facts.resource), ...genderOf(facts.resource) },
        patients: patients.filter((entry): entry is PatientAccess => entry !== undefined),
      };
    },
    async patient(patientId) {
      const facts = await factsOfPrincipal();
      if (!candidatePatientIds(principal, facts, options.launchPatientId).includes(patientId)) return undefined;
      return loadPatientAccessWithFacts(upstream, principal, facts, patientId, options);
    },
  };
}

/** Every patient the principal may be related to, each with the policy's decision (one-off; see AccessLoader). */
export function loadFamilyAccess(upstream: FhirUpstream, principal: Principal, options: LoadAccessOptions): Promise<FamilyAccess> {
  return createAccessLoader(upstream, principal, options).family();
}

/** The decision for one patient, or undefined when unrelated (one-off; see AccessLoader). */
export function loadPatientAccess(
  upstream: FhirUpstream,
  principal: Principal,
  patientId: string,
  options: LoadAccessOptions,
): Promise<PatientAccess | undefined> {
  return createAccessLoader(upstream, principal, options).patient(patientId);
}

interface PrincipalFacts {
  /** The principal's own resource, or undefined when the EHR no longer has it (then nobody is related). */
  readonly resource: FhirResource | undefined;
  readonly person: Person | undefined;
  /** RelatedPersons the principal acts through (Person.link targets, or the principal itself). */
  readonly linkedRelatedPersons: readonly RelatedPerson[];
}

async function loadPrincipalFacts(
  upstream: FhirUpstream,
  principal: Principal,
  signal: AbortSignal | undefined,
): Promise<PrincipalFacts> {
  const resource = await readOptional(upstream, principal.reference, signal);
  if (resource === undefined) return { resource, person: undefined, linkedRelatedPersons: [] };
  if (resource.resourceType === 'Person') {
    const targets = (resource.link ?? [])
      .map((link) => link.target?.reference)
      .filter((reference): reference is string => typeof reference === 'string' && reference.startsWith('RelatedPerson/'));
    const linked = await Promise.all(targets.map((reference) => readOptional(upstream, reference, signal)));
    return {
      resource,
      person: resource,
      linkedRelatedPersons: linked.filter((r): r is RelatedPerson => r?.resourceType === 'RelatedPerson'),
    };
  }
  if (resource.resourceType === 'RelatedPerson') return { resource, person: undefined, linkedRelatedPersons: [resource] };
  return { resource, person: undefined, linkedRelatedPersons: [] };
}

function candidatePatientIds(principal: Principal, facts: PrincipalFacts, launchPatientId: string | undefined): string[] {
  if (facts.resource === undefined) return [];
  const references =
    principal.kind === 'Practitioner'
      ? launchPatientId === undefined
        ? []
        : [`Patient/${launchPatientId}`]
      : patientReferencesForPrincipal(principal, facts.resource, facts.linkedRelatedPersons);
  const ids = references
    .filter((reference) => reference.startsWith('Patient/'))
    .map((reference) => reference.slice('Patient/'.length))
    .filter((id) => /^[A-Za-z0-9\-.]{1,64}$/.test(id));
  return [...new Set(ids)];
}

async function loadPatientAccessWithFacts(
  upstream: FhirUpstream,
  principal: Principal,
  principalFacts: PrincipalFacts,
  patientId: string,
  options: LoadAccessOptions,
): Promise<PatientAccess | undefined> {
  const { patient, relatedPersons, consents } = await cachedFacts(options, `Patient/${patientId}`, () =>
    loadPatientFacts(upstream, patientId, options.signal),
  );
  if (patient?.resourceType !== 'Patient') return undefined;
  const decision = decidePatientAccess(
    {
      principal,
      patient,
      relatedPersons,
      consents,
      ...(principalFacts.person === undefined ? {} : { person: principalFacts.person }),
    },
    options.profile,
    options.asOf,
  );
  return { patient, decision };
}

interface PatientFacts {
  readonly patient: FhirResource | undefined;
  readonly relatedPersons: readonly RelatedPerson[];
  readonly consents: readonly Consent[];
}

async function loadPatientFacts(upstream: FhirUpstream, patientId: string, signal: AbortSignal | undefined): Promise<PatientFacts> {
  const [patient, relatedPersons, consents] = await Promise.all([
    readOptional(upstream, `Patient/${patientId}`, signal),
    searchAll<RelatedPerson>(upstream, `RelatedPerson?patient=Patient/${patientId}`, 'RelatedPerson', signal),
    searchAll<Consent>(upstream, `Consent?patient=Patient/${patientId}`, 'Consent', signal),
  ]);
  return { patient, relatedPersons, consents };
}

/**
 * The facts under `key` from the session's cache when given (frozen: one request can never change what the next one
 * decides on), else loaded for this request alone.
 */
function cachedFacts<T extends object>(options: LoadAccessOptions, key: string, load: () => Promise<T>): Promise<T> {
  if (options.facts === undefined) return load();
  return options.facts.get(key, options.asOf.getTime(), async () => deepFreeze(await load()));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Reads one resource; a 404/410 is "absent", any other failure throws (fail closed). */
async function readOptional(upstream: FhirUpstream, reference: string, signal: AbortSignal | undefined): Promise<FhirResource | undefined> {
  const result = await upstream.getJson(reference, signal === undefined ? {} : { signal });
  if (result.ok) return result.resource;
  if (result.status === 404 || result.status === 410) return undefined;
  throw new UpstreamError('bad-status', `Reading ${reference.split('/')[0]} failed upstream (${result.status}).`, {
    status: result.status,
  });
}

/** Follows a search's paging to the end; throws when the EHR pages beyond MAX_FACT_PAGES (fail closed). */
async function searchAll<T extends FhirResource>(
  upstream: FhirUpstream,
  query: string,
  resourceType: T['resourceType'],
  signal: AbortSignal | undefined,
): Promise<T[]> {
  const found: T[] = [];
  let next: string | undefined = `${query}&_count=100`;
  for (let page = 0; next !== undefined; page += 1) {
    if (page >= MAX_FACT_PAGES) {
      throw new UpstreamError('oversize', `Too many ${resourceType} pages to decide access safely.`);
    }
    const result = await upstream.getJson(next, signal === undefined ? {} : { signal });
    if (!result.ok || result.resource.resourceType !== 'Bundle') {
      throw new UpstreamError('bad-status', `Searching ${resourceType} failed upstream (${result.status}).`, {
        status: result.status,
      });
    }
    const bundle: Bundle = result.resource;
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.resourceType === resourceType) found.push(entry.resource as T);
    }
    next = bundle.link?.find((link) => link.relation === 'next')?.url;
  }
  return found;
}

/** The signed-in person's administrative gender, when their resource records one. */
function genderOf(resource: FhirResource | undefined): { gender?: string } {
  const gender = resource !== undefined && 'gender' in resource && typeof resource.gender === 'string' ? resource.gender : undefined;
  return gender === undefined ? {} : { gender };
}

/** The signed-in person's display name from their FHIR resource (Person, RelatedPerson, Patient, Practitioner). */
function displayName(resource: FhirResource | undefined): string {
  const names: HumanName[] | undefined =
    resource !== undefined && 'name' in resource && Array.isArray(resource.name) ? (resource.name as HumanName[]) : undefined;
  return formatHumanName(preferredName(names)) ?? '';
}
