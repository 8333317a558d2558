/**
 * The per-request policy context of the facade: it gathers facts once per request (the per-patient decisions, the
 * referenced resources the classifier needs) and judges every resource the upstream returns.
 *
 * Caches live exactly as long as one request: a decision is never reused past the request, so it can never outlive
 * its `validUntil` (local midnight). Only the policy facts may outlive it, through `facts` (bounded by
 * FACTS_CACHE_SECONDS, the longest a revoked grant can take to apply). Every upstream failure propagates (the facade fails closed).
 */
import type { DomainResource, Resource } from 'fhir/r4';
import type { SessionFacts } from '../access/facts-cache.ts';
import { createAccessLoader } from '../access/load-access.ts';
import type { PatientAccess } from '../access/load-access.ts';
import { ClassificationMemo, decideResource, referencesToResolve } from '../policy/index.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Principal, ResourceVerdict } from '../policy/types.ts';
import { isSharedType, patientIdsOf, toRelativeReference } from './compartment.ts';
import type { FhirUpstream } from './upstream.ts';
import { UpstreamError } from './upstream.ts';

export interface Judgement {
  readonly show: boolean;
  /** Machine reason, for the audit trail only. */
  readonly reason: string;
  /** "Patient/<id>" the resource belongs to, when it belongs to one. */
  readonly patient?: string;
  /** The per-patient access that decided (for shown resources; the facade redacts Patient resources with it). */
  readonly access?: PatientAccess;
  /**
   * For shown resources: relative references to records this reader may not see (a teen's visit behind an
   * allow-listed prescription). The facade removes them before the resource leaves (omit-references.ts).
   */
  readonly omitReferences?: ReadonlySet<string>;
}

export interface RequestPolicy {
  /** The decision for one patient, or undefined (no relation, or absent). Cached for this request. */
  accessFor(patientId: string): Promise<PatientAccess | undefined>;
  /** Every patient the principal may be related to whose record access is not "none". */
  permittedPatients(): Promise<readonly PatientAccess[]>;
  /** Judges one resource as returned upstream (full, untrimmed). Throws when a fact cannot be gathered. */
  judge(resource: Resource): Promise<Judgement>;
  /** Reads a resource by relative reference through the same upstream (cached); undefined when absent. */
  fetchReference(reference: string): Promise<Resource | undefined>;
  /**
   * Makes resources the upstream already returned in this request (a search page, its includes) available to the
   * reference resolver, so following a reference does not cost another upstream read.
   */
  seed(resources: readonly Resource[]): void;
  /**
   * Reads every record the classifier will follow from these resources — in two parallel waves (their references,
   * then those records' references), at most PREFETCH_CONCURRENCY at a time — so judging a page costs two upstream
   * round trips instead of one per entry. The same reads the judging would make, into the same per-request cache;
   * a failed read rejects here exactly as it would there (fail closed).
   */
  prefetch(resources: readonly Resource[]): Promise<void>;
}

export interface RequestPolicyOptions {
  readonly upstream: FhirUpstream;
  readonly principal: Principal;
  readonly profile: HospitalProfile;
  readonly asOf: Date;
  readonly launchPatientId?: string;
  readonly signal?: AbortSignal;
  /** The session's policy facts kept for a bounded time (access/facts-cache.ts); decisions are still made per request. */
  readonly facts?: SessionFacts;
}

/** Referenced resources are followed this deep (a report → its results → their conditions), then no further. */
export const MAX_REFERENCE_DEPTH = 2;
/**
 * Verdict reasons (policy/resource.ts) that do not depend on the resource's classification, so resolving its
 * references cannot turn them into "show". Anything else waits for the references.
 */
const HIDDEN_WHATEVER_IT_POINTS_AT: ReadonlySet<string> = new Set([
  'not-on-allow-list',
  'not-labelled-non-confidential',
  'not-own-thread',
  'no-record-access',
  'other-patient',
  'patient-mismatch',
  'profile-mismatch',
]);
/**
 * Whether a "hide" verdict reached before the resource's references were read is final: a reason above, or a hidden
 * category. This rests on the classifier's contract (policy/classify.ts): following references only adds findings
 * (propagated ones, or corroboration of a dual-use code), and the dates a category's minimum age is measured on are
 * the resource's own (careDatesOf) — so a category hidden now stays hidden. An unreadable medicine ("unknown is not
 * safe") is final when it points at no Medication that could name its ingredients. Anything else (a release hold, a
 * medicine whose Medication is not read yet) waits for the references.
 */
function hiddenWhateverItPointsAt(reason: string, resource: Resource): boolean {
  if (HIDDEN_WHATEVER_IT_POINTS_AT.has(reason) || reason.startsWith('hidden-category:')) return true;
  // A medicine whose names name no ingredient stays unreadable unless a Medication it points at names them.
  return reason === 'unreadable-medication' && !('medicationReference' in resource);
}
/** Upstream reads in flight at once while prefetching: parallel enough to hide latency, gentle on the EHR. */
export const PREFETCH_CONCURRENCY = 8;
/** Ids per `Type?_id=a,b,c` search while prefetching (ids are ≤ 64 characters: the URL stays under ~3 KB). */
export const PREFETCH_IDS_PER_SEARCH = 40;
/** Answers to an `_id` list search meaning "not supported here": the records are then read one by one. */
const ID_SEARCH_UNSUPPORTED: ReadonlySet<number> = new Set([400, 405]);
/** A plain "Type/id" reference, the only kind an `_id` search can answer (versioned ones are read one by one). */
const PLAIN_REFERENCE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})$/;

export function createRequestPolicy(options: RequestPolicyOptions): RequestPolicy {
  const { upstream, principal, profile, asOf, signal } = options;
  // One loader per request: the principal's own facts are read once, however many patients the request touches.
  const accessLoader = createAccessLoader(upstream, principal, {
    profile,
    asOf,
    ...(options.launchPatientId === undefined ? {} : { launchPatientId: options.launchPatientId }),
    ...(signal === undefined ? {} : { signal }),
    ...(options.facts === undefined ? {} : { facts: options.facts }),
  });
  const accessCache = new Map<string, Promise<PatientAccess | undefined>>();
  const referenceCache = new Map<string, Promise<Resource | undefined>>();
  const judgementCache = new Map<string, Promise<Judgement>>();
  /** Resources the upstream already returned in this request, by relative reference (see seed). */
  const seeded = new Map<string, Resource>();
  // Per-resource classification work (codes, labels, dates) is done once per request, however many resources point
  // at the same Encounter or Condition.
  const memo = new ClassificationMemo();
  let family: Promise<readonly PatientAccess[]> | undefined;

  /** Settled values of accessCache, so judging the thousandth resource of a patient does not wait a turn for it. */
  const accessSettled = new Map<string, PatientAccess | undefined>();

  function accessFor(patientId: string): Promise<PatientAccess | undefined> {
    let cached = accessCache.get(patientId);
    if (cached === undefined) {
      cached = accessLoader.patient(patientId);
      cached.then(
        (access) => accessSettled.set(patientId, access),
        () => {}, // the rejection reaches whoever awaits `cached`
      );
      accessCache.set(patientId, cached);
    }
    return cached;
  }

  function permittedPatients(): Promise<readonly PatientAccess[]> {
    family ??= accessLoader.family().then((loaded) => {
      for (const entry of loaded.patients) {
        const id = entry.decision.patient.slice('Patient/'.length);
        if (!accessCache.has(id)) {
          accessCache.set(id, Promise.resolve(entry));
          accessSettled.set(id, entry);
        }
      }
      return loaded.patients.filter((entry) => entry.decision.level !== 'none');
    });
    return family;
  }

  function fetchReference(reference: string): Promise<Resource | undefined> {
    let cached = referenceCache.get(reference);
    if (cached === undefined && seeded.has(reference)) {
      cached = Promise.resolve(seeded.get(reference));
      referenceCache.set(reference, cached);
    }
    if (cached === undefined) {
      cached = upstream.getJson(reference, signal === undefined ? {} : { signal }).then((result) => {
        if (result.ok) return result.resource;
        if (result.status === 404 || result.status === 410) return undefined;
        // Any other answer means a fact is missing: fail closed rather than decide without it.
        throw new UpstreamError('bad-status', 'Reading a referenced record failed upstream.', { status: result.status });
      });
      referenceCache.set(reference, cached);
    }
    return cached;
  }

  /**
   * The relative references the classifier wants to follow for this resource. Remembered per object: prefetching
   * and judging ask for the same resource's references (resources are not mutated while a request judges them).
   */
  const wantedByResource = new WeakMap<Resource, readonly string[]>();
  function wantedReferences(resource: Resource): readonly string[] {
    let wanted = wantedByResource.get(resource);
    if (wanted === undefined) {
      const found: string[] = [];
      for (const reference of referencesToResolve(resource)) {
        const relative = toRelativeReference(reference, upstream.baseUrl);
        if (relative !== undefined) found.push(relative);
      }
      wanted = found;
      wantedByResource.set(resource, wanted);
    }
    return wanted;
  }

  /** What fetchReference settled, for the synchronous resolver the pure core calls. */
  const settled = new Map<string, Resource | undefined>();
  async function settle(references: readonly string[]): Promise<void> {
    // Already settled (the usual case inside one record: every Observation names the same few Encounters): the
    // values cannot differ, since each reference is fetched once per request.
    if (references.every((reference) => settled.has(reference))) return;
    const fetched = await Promise.all(references.map((reference) => fetchReference(reference)));
    references.forEach((reference, index) => settled.set(reference, fetched[index]));
  }
  const resolve = (reference: string): Resource | undefined => {
    const relative = toRelativeReference(reference, upstream.baseUrl);
    return relative === undefined ? undefined : settled.get(relative);
  };

  /**
   * "Patient/<id>", the same string for consecutive resources of one patient (a page is almost always one patient's),
   * so the audit tally hashes it once rather than once per entry.
   */
  let lastPatient = { id: '', reference: 'Patient/' };
  function patientReference(patientId: string): string {
    if (patientId !== lastPatient.id) lastPatient = { id: patientId, reference: `Patient/${patientId}` };
    return lastPatient.reference;
  }

  /**
   * Judges a resource from facts already at hand (its patient's decision, the records it points at, their
   * judgements), or answers undefined when one of them is still to be gathered. Pure over the request's settled
   * caches, so calling it again once the facts are in gives the verdict the first call would have given.
   * `targets` holds judgements of referenced records awaited by judgeUncached (for records without an id, which
   * judgedAt cannot hold).
   */
  function judgeFromSettled(resource: Resource, depth: number, targets?: ReadonlyMap<Resource, Judgement>): Judgement | undefined {
    if (isSharedType(resource.resourceType)) {
      // Practitioners, organisations, places, drug definitions: no patient data. The facade only returns them for a
      // direct read or when a returned, visible resource points at them.
      return { show: true, reason: 'shared-resource' };
    }
    const patientIds = patientIdsOf(resource, upstream.baseUrl);
    const [patientId, ...others] = patientIds;
    if (patientId === undefined || others.length > 0) return { show: false, reason: 'no-single-patient' };
    const patient = patientReference(patientId);
    if (!accessSettled.has(patientId)) return undefined;
    const access = accessSettled.get(patientId);
    if (access === undefined || access.decision.level === 'none') return { show: false, reason: 'no-access', patient };

    // Depth 0 is the returned resource; its references are depth 1, theirs depth 2; nothing deeper is fetched.
    const references = wantedReferences(resource);
    if (depth < MAX_REFERENCE_DEPTH && !references.every((reference) => settled.has(reference))) {
      // Hidden for a reason no referenced record can change (not on the allow-list, a restricted label): decided now,
      // without reading what it points at — so a hidden record costs no more upstream reads than a missing one
      // (docs/facade.md, "One 404"). Only worth a verdict when following would cost an upstream read.
      if (references.some(costsUpstreamRead)) {
        const early = decideResource(access.decision, resource, resolve, profile, access.patient, memo);
        if (early.effect !== 'show' && hiddenWhateverItPointsAt(early.reason, resource)) return { show: false, reason: early.reason, patient };
      }
      return undefined;
    }
    const verdict: ResourceVerdict = decideResource(access.decision, resource, resolve, profile, access.patient, memo);
    if (verdict.effect !== 'show') return { show: false, reason: verdict.reason, patient };

    // Every contained resource is judged with its container's patient decision; one hidden part hides the whole
    // (cutting it out would leave a dangling "#id" and a visible gap).
    for (const contained of (resource as DomainResource).contained ?? []) {
      const containedVerdict = decideResource(access.decision, contained, resolve, profile, access.patient, memo);
      if (containedVerdict.effect !== 'show') return { show: false, reason: `contained-${containedVerdict.reason}`, patient };
    }
    // A visible resource must not point at a hidden record: its reference would name the hidden id. Sensitivity already propagated through these references (decideResource above): a prescription for a hidden
    // sensitive condition is itself hidden. A target hidden for any other reason (not on the allow-list, another
    // patient's record) leaves this resource visible, with that reference removed so it names no hidden id.
    let omitted: Set<string> | undefined;
    if (depth < MAX_REFERENCE_DEPTH) {
      for (const reference of references) {
        const target = settled.get(reference);
        if (target === undefined || isSharedType(target.resourceType)) continue;
        const targetJudgement = judgedAt[depth + 1]?.get(target) ?? targets?.get(target);
        if (targetJudgement === undefined) return undefined;
        if (!targetJudgement.show) (omitted ??= new Set()).add(reference);
      }
    }
    return omitted === undefined ? { show: true, reason: verdict.reason, patient, access } : { show: true, reason: verdict.reason, patient, access, omitReferences: omitted };
  }

  /**
   * Gathers the facts judgeFromSettled lacks, one kind at a time and in the order it needs them (the patient's
   * decision; the records this one points at; their judgements, one after another), until it can answer. Any failed
   * read rejects (fail closed).
   */
  async function judgeUncached(resource: Resource, depth: number): Promise<Judgement> {
    const targets = new Map<Resource, Judgement>();
    for (;;) {
      const judgement = judgeFromSettled(resource, depth, targets);
      if (judgement !== undefined) return judgement;
      const [patientId] = patientIdsOf(resource, upstream.baseUrl);
      if (patientId !== undefined && !accessSettled.has(patientId)) {
        const access = await accessFor(patientId);
        accessSettled.set(patientId, access);
        continue;
      }
      const references = wantedReferences(resource);
      if (depth < MAX_REFERENCE_DEPTH && !references.every((reference) => settled.has(reference))) {
        await settle(references);
        continue;
      }
      const pending = references
        .map((reference) => settled.get(reference))
        .find((target) => target !== undefined && !isSharedType(target.resourceType) && judgedAt[depth + 1]?.get(target) === undefined && !targets.has(target));
      if (pending === undefined) throw new Error('Judging a resource made no progress.');
      targets.set(pending, await judgeAt(pending, depth + 1));
    }
  }

  /**
   * Settled judgements per depth, by object: the same object at the same depth always has the same cache key below,
   * so this is only a faster way to the value judgementCache already holds (no await for an Encounter that a
   * thousand Observations point at).
   */
  const judgedAt: WeakMap<Resource, Judgement>[] = Array.from({ length: MAX_REFERENCE_DEPTH + 1 }, () => new WeakMap());

  /** judgeAt's answer when it can be given at once (every fact already gathered), recorded in its caches; else undefined. */
  function judgeAtSettled(resource: Resource, depth: number): Judgement | undefined {
    const known = judgedAt[depth]?.get(resource);
    if (known !== undefined) return known;
    // Versions are judged separately (history): the key includes the version.
    const key = resource.id === undefined ? undefined : judgementKey(resource, depth);
    if (key !== undefined && judgementCache.has(key)) return undefined; // another object with this key: its promise answers
    let ready: Judgement | undefined;
    try {
      ready = judgeFromSettled(resource, depth);
    } catch {
      return undefined; // judgeUncached meets the same failure and rejects with it
    }
    if (ready !== undefined && key !== undefined) {
      judgedAt[depth]?.set(resource, ready);
      judgementCache.set(key, Promise.resolve(ready));
    }
    return ready;
  }

  function judgementKey(resource: Resource, depth: number): string {
    return `${depth}|${resource.resourceType}/${resource.id ?? ''}/${resource.meta?.versionId ?? ''}`;
  }

  function judgeAt(resource: Resource, depth: number): Promise<Judgement> {
    // Usually every fact is at hand (prefetched, settled): judge now, without a trip through the microtask queue.
    const ready = judgeAtSettled(resource, depth);
    if (resource.id === undefined) return ready === undefined ? judgeUncached(resource, depth) : Promise.resolve(ready);
    const key = judgementKey(resource, depth);
    let cached = judgementCache.get(key);
    if (ready !== undefined) return cached ?? Promise.resolve(ready);
    if (cached === undefined) {
      cached = judgeUncached(resource, depth);
      judgementCache.set(key, cached);
      cached.then(
        (judgement) => judgedAt[depth]?.set(resource, judgement),
        () => {}, // the rejection reaches whoever awaits `cached`
      );
    }
    return cached;
  }

  function seed(resources: readonly Resource[]): void {
    for (const resource of resources) {
      if (resource.id === undefined) continue;
      const reference = `${resource.resourceType}/${resource.id}`;
      // The first answer for a reference wins, as if it had been read then (fetchReference turns it into one).
      if (!referenceCache.has(reference) && !seeded.has(reference)) seeded.set(reference, resource);
    }
  }

  /** Whether following this reference would send a request upstream (not settled, not seeded, not in flight). */
  function costsUpstreamRead(reference: string): boolean {
    return !settled.has(reference) && !seeded.has(reference) && !referenceCache.has(reference);
  }

  function isHiddenAlready(resource: Resource, depth: number): boolean {
    try {
      return judgeFromSettled(resource, depth)?.show === false;
    } catch {
      return false; // judging meets the same failure later and fails closed there
    }
  }

  async function prefetch(resources: readonly Resource[]): Promise<void> {
    let wave: readonly Resource[] = resources;
    for (let depth = 0; depth < MAX_REFERENCE_DEPTH && wave.length > 0; depth += 1) {
      const wanted = new Set<string>();
      for (const resource of wave) {
        // A resource already known to be hidden whatever it points at needs none of its references: reading them
        // would make a search with hidden matches cost more than the same search without them.
        const references = wantedReferences(resource);
        if (references.some(costsUpstreamRead) && isHiddenAlready(resource, depth)) continue;
        for (const reference of references) if (!settled.has(reference)) wanted.add(reference);
      }
      const references = [...wanted];
      await forEachWithConcurrency(searchesFor(references), PREFETCH_CONCURRENCY, (search) => search());
      await Promise.all(references.map(async (reference) => settled.set(reference, await fetchReference(reference))));
      wave = references.map((reference) => settled.get(reference)).filter((resource): resource is Resource => resource !== undefined);
    }
  }

  /** Prefetch searches in flight at most PREFETCH_CONCURRENCY at once; every queued one runs. */
  const inTurn = createLimiter(PREFETCH_CONCURRENCY);

  /**
   * The upstream work that puts these references into referenceCache: plain references not yet read or seeded become
   * one `Type?_id=a,b,c` search per type (per PREFETCH_IDS_PER_SEARCH ids) instead of one read each; an id the search
   * does not return is absent, exactly like a 404 read (hidden and missing records cost the same: one search). Anything
   * else is read as before. Each returned function starts its request and settles when the cache entries do.
   */
  function searchesFor(references: readonly string[]): (() => Promise<void>)[] {
    const work: (() => Promise<void>)[] = [];
    const idsByType = new Map<string, string[]>();
    for (const reference of references) {
      if (referenceCache.has(reference)) continue;
      const plain = seeded.has(reference) ? null : PLAIN_REFERENCE.exec(reference);
      if (plain === null || plain[1] === undefined || plain[2] === undefined) {
        work.push(async () => void (await fetchReference(reference)));
        continue;
      }
      const ids = idsByType.get(plain[1]) ?? [];
      ids.push(plain[2]);
      idsByType.set(plain[1], ids);
    }
    for (const [type, ids] of idsByType) {
      for (let from = 0; from < ids.length; from += PREFETCH_IDS_PER_SEARCH) {
        const chunk = ids.slice(from, from + PREFETCH_IDS_PER_SEARCH);
        if (chunk.length === 1) {
          work.push(async () => void (await fetchReference(`${type}/${chunk[0]}`)));
          continue;
        }
        // Queued at once (so every cache entry below settles even if the prefetch gives up early), run in turn.
        const found = inTurn(() => searchByIds(type, chunk));
        found.catch(() => {}); // the rejection reaches whoever awaits the cache entries
        for (const id of chunk) {
          const entry = found.then((byId) => byId.get(id));
          entry.catch(() => {}); // likewise
          referenceCache.set(`${type}/${id}`, entry);
        }
        work.push(async () => void (await found));
      }
    }
    return work;
  }

  /**
   * One `_id` search; the records it returns by id. An EHR that refuses the search (400/405: `_id` lists unsupported)
   * or pages even a search this small gets the records the answer lacks read one by one — never guessed absent. Any
   * other failure fails closed, as a failed read would.
   */
  async function searchByIds(type: string, ids: readonly string[]): Promise<Map<string, Resource>> {
    const query = `${type}?_id=${ids.map(encodeURIComponent).join(',')}&_count=${ids.length}`;
    const result = await upstream.getJson(query, signal === undefined ? {} : { signal });
    const byId = new Map<string, Resource>();
    let readTheRest = !result.ok && ID_SEARCH_UNSUPPORTED.has(result.status);
    if (!readTheRest) {
      if (!result.ok || result.resource.resourceType !== 'Bundle') {
        throw new UpstreamError('bad-status', 'Reading referenced records failed upstream.', { status: result.status });
      }
      const wanted = new Set(ids);
      for (const entry of result.resource.entry ?? []) {
        const resource = entry.resource;
        if (resource?.resourceType === type && resource.id !== undefined && wanted.has(resource.id) && !byId.has(resource.id)) byId.set(resource.id, resource);
      }
      readTheRest = result.resource.link?.some((link) => link.relation === 'next') === true;
    }
    if (readTheRest) {
      await forEachWithConcurrency(ids.filter((id) => !byId.has(id)), PREFETCH_CONCURRENCY, async (id) => {
        const read = await upstream.getJson(`${type}/${id}`, signal === undefined ? {} : { signal });
        if (read.ok) byId.set(id, read.resource);
        else if (read.status !== 404 && read.status !== 410) throw new UpstreamError('bad-status', 'Reading a referenced record failed upstream.', { status: read.status });
      });
    }
    return byId;
  }

  return { accessFor, permittedPatients, judge: (resource) => judgeAt(resource, 0), fetchReference, seed, prefetch };
}

/** Runs each queued task once at most `limit` are in flight; every queued task runs, whatever the others do. */
function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next(); // the slot passes straight to the next task
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** Runs `work` over every item with at most `limit` in flight; rejects with the first failure. */
async function forEachWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
