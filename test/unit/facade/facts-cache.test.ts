/**
 * A session's policy facts are kept for a bounded time (FACTS_CACHE_SECONDS), never longer; decisions are made again
 * on every request from the kept facts with that request's clock. So: a kept fact never outlives its bound, a Consent
 * added or revoked upstream takes effect within it, and a birthday at local midnight flips access on the very next
 * request even while every fact is still kept.
 */
import type { Consent, FhirResource } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFactsCache, MAX_FACTS_PER_SESSION, sessionFactsKey } from '../../../gateway/src/access/facts-cache.ts';
import type { FactsCache } from '../../../gateway/src/access/facts-cache.ts';
import { createAccessLoader } from '../../../gateway/src/access/load-access.ts';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import type { FhirUpstream } from '../../../gateway/src/fhir/upstream.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { parseConfig } from '../../../gateway/src/config.ts';
import { createSandboxUpstream, SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { principalFor } from '../leaks/support/facade-harness.ts';
import { miniFamily, NOW } from './mini-family.ts';

const TTL_MS = 30_000;
const PROFILE = BUILTIN_PROFILES['ca-strict'];
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
/** Local midnight in America/Los_Angeles (PST, UTC−8) when Tomás turns 12 — ca-strict's line for a guardian. */
const TWELFTH_BIRTHDAY = Date.parse('2026-03-03T08:00:00Z');

let sandbox: SandboxUpstream;
let calls: string[];
let upstream: FhirUpstream;
let cache: FactsCache;

function courtOrder(status: Consent['status']): Consent {
  return {
    resourceType: 'Consent',
    id: 'court-order',
    status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: 'Patient/infant' },
    provision: { type: 'deny', actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] }, reference: { reference: 'RelatedPerson/mom' } }] },
  };
}

beforeEach(async () => {
  const resources: FhirResource[] = [
    ...miniFamily(),
    { resourceType: 'Patient', id: 'tomas', birthDate: '2014-03-03', name: [{ family: 'Rivera', given: ['Tomás'] }] },
    {
      resourceType: 'RelatedPerson',
      id: 'mom-of-tomas',
      active: true,
      patient: { reference: 'Patient/tomas' },
      relationship: [{ coding: [{ system: ROLE, code: 'MTH' }] }],
    },
  ];
  sandbox = await createSandboxUpstream(resources);
  calls = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (request.method === 'GET') calls.push(new URL(request.url).pathname);
    return sandbox.fetch(input, init);
  };
  upstream = createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch, timeoutMs: 5_000, maxBytes: 1024 * 1024, retries: 0 });
  cache = createFactsCache({ ttlMs: TTL_MS, maxSessions: 100 });
});

/** One request's decision for a patient, as the facade and /api/session make it (a new loader per request). */
async function levelAt(patientId: string, principal: string, now: number, session = 'session-1'): Promise<string | undefined> {
  const facts = cache.forSession(sessionFactsKey(session, principal, SANDBOX_BASE));
  const loader = createAccessLoader(upstream, principalFor(principal), { profile: PROFILE, asOf: new Date(now), facts });
  return (await loader.patient(patientId))?.decision.level;
}

async function writeConsent(consent: Consent): Promise<void> {
  const result = await upstream.writeJson('PUT', `Consent/${consent.id}`, consent);
  expect(result.ok).toBe(true);
}

describe('facts kept per session', () => {
  it('are reused within the bound and read again once it has passed, never later', async () => {
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW)).toBe('full');
    const firstReads = calls.length;
    expect(firstReads).toBeGreaterThan(0);

    calls.length = 0;
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + TTL_MS - 1)).toBe('full');
    expect(calls).toEqual([]);

    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + TTL_MS)).toBe('full');
    expect(calls).toHaveLength(firstReads);

    // A clock that reads earlier than the load (time moved backwards) does not stretch the bound either.
    calls.length = 0;
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + TTL_MS - 1)).toBe('full');
    expect(calls).toHaveLength(firstReads);
  });

  it('a Consent added, then revoked upstream, takes effect within the bound', async () => {
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW)).toBe('full');

    await writeConsent(courtOrder('active'));
    // Within the bound the kept facts still decide; at the bound the court order applies.
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + TTL_MS - 1)).toBe('full');
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + TTL_MS)).toBe('none');

    await writeConsent(courtOrder('inactive'));
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + 2 * TTL_MS - 1)).toBe('none');
    expect(await levelAt('infant', 'RelatedPerson/mom', NOW + 2 * TTL_MS)).toBe('full');
  });

  it('a birthday at local midnight flips access on the next request, with every fact still kept', async () => {
    const before = await levelAt('tomas', 'RelatedPerson/mom-of-tomas', TWELFTH_BIRTHDAY - 1_000);
    expect(before).toBe('full');
    calls.length = 0;
    const after = await levelAt('tomas', 'RelatedPerson/mom-of-tomas', TWELFTH_BIRTHDAY);
    expect(calls).toEqual([]); // warm: decided from the kept facts with this request's clock
    expect(after).not.toBe('full');
  });

  it('are kept per session: another session reads its own', async () => {
    await levelAt('infant', 'RelatedPerson/mom', NOW, 'session-1');
    calls.length = 0;
    await levelAt('infant', 'RelatedPerson/mom', NOW, 'session-2');
    expect(calls.length).toBeGreaterThan(0);
  });

  it('are frozen: a request cannot change what the next one decides on', async () => {
    const facts = cache.forSession(sessionFactsKey('session-1', 'RelatedPerson/mom', SANDBOX_BASE));
    const loader = createAccessLoader(upstream, principalFor('RelatedPerson/mom'), { profile: PROFILE, asOf: new Date(NOW), facts });
    const access = await loader.patient('infant');
    expect(() => {
      (access?.patient as { birthDate?: string }).birthDate = '1990-01-01';
    }).toThrow(TypeError);
  });
});

describe('the facts cache itself', () => {
  it('never keeps a failed load', async () => {
    const facts = createFactsCache({ ttlMs: TTL_MS, maxSessions: 2 }).forSession('s');
    await expect(facts.get('k', NOW, () => Promise.reject(new Error('EHR down')))).rejects.toThrow('EHR down');
    await expect(facts.get('k', NOW + 1, async () => 'fresh')).resolves.toBe('fresh');
  });

  it('shares one load in flight, and with ttl 0 keeps nothing', async () => {
    const facts = createFactsCache({ ttlMs: TTL_MS, maxSessions: 2 }).forSession('s');
    let loads = 0;
    const load = async (): Promise<number> => (loads += 1);
    await Promise.all([facts.get('k', NOW, load), facts.get('k', NOW, load)]);
    expect(loads).toBe(1);
    const off = createFactsCache({ ttlMs: 0, maxSessions: 2 }).forSession('s');
    await off.get('k', NOW, load);
    await off.get('k', NOW, load);
    expect(loads).toBe(3);
  });

  it('is bounded in sessions (least recently used dropped) and in facts per session', async () => {
    const bounded = createFactsCache({ ttlMs: TTL_MS, maxSessions: 2 });
    let loads = 0;
    const load = async (): Promise<number> => (loads += 1);
    await bounded.forSession('a').get('k', NOW, load);
    await bounded.forSession('b').get('k', NOW, load);
    await bounded.forSession('a').get('k', NOW, load); // a is now the most recent
    await bounded.forSession('c').get('k', NOW, load); // drops b
    expect(bounded.size).toBe(2);
    expect(loads).toBe(3);
    await bounded.forSession('a').get('k', NOW, load);
    expect(loads).toBe(3);
    await bounded.forSession('b').get('k', NOW, load);
    expect(loads).toBe(4);

    const many = createFactsCache({ ttlMs: TTL_MS, maxSessions: 1 }).forSession('s');
    for (let i = 0; i <= MAX_FACTS_PER_SESSION; i += 1) await many.get(`k${i}`, NOW, load);
    const before = loads;
    await many.get('k0', NOW, load); // the oldest was dropped to stay within the bound
    expect(loads).toBe(before + 1);
  });

  it('FACTS_CACHE_SECONDS defaults within 60 s and refuses more', () => {
    const base = { FHIR_BASE_URL: 'http://127.0.0.1:8081/fhir', PUBLIC_URL: 'http://127.0.0.1:8080', CLIENT_ID: 'sprout' };
    const config = parseConfig(base);
    expect(config.factsCacheSeconds).toBeGreaterThan(0);
    expect(config.factsCacheSeconds).toBeLessThanOrEqual(60);
    expect(parseConfig({ ...base, FACTS_CACHE_SECONDS: '0' }).factsCacheSeconds).toBe(0);
    expect(() => parseConfig({ ...base, FACTS_CACHE_SECONDS: '61' })).toThrow(/FACTS_CACHE_SECONDS/);
  });
});
