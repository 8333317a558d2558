/**
 * Issue 10, finding 1: SMART App Launch 2.x lets fhirUser be relative to the FHIR base ("Practitioner/abc"). A relative
 * claim is resolved against the session's base and then checked exactly like an absolute one; one naming a resource
 * the EHR does not have signs in to nothing (the access loader reads the principal and relates nobody to it).
 */
import type { Patient, RelatedPerson } from 'fhir/r4';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { principalFromFhirUser } from '../../../gateway/src/smart/fhir-user.ts';
import { EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';

const SESSION = '__Host-sprout';
const KINDS = ['Patient', 'RelatedPerson', 'Person', 'Practitioner'] as const;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.ehr.resources.set('RelatedPerson/rp-1', { resourceType: 'RelatedPerson', id: 'rp-1', patient: { reference: 'Patient/child-1' } } as RelatedPerson);
  h.ehr.resources.set('Patient/child-1', { resourceType: 'Patient', id: 'child-1', birthDate: '2019-05-01', name: [{ given: ['Lu'], family: 'Test' }] } as Patient);
});
afterAll(closeSharedStore);

describe('principalFromFhirUser', () => {
  it.each(KINDS)('accepts %s as an absolute URL and as a reference relative to the base, to the same principal', (kind) => {
    const absolute = principalFromFhirUser(`${EHR_BASE}/${kind}/abc-1`, EHR_BASE, ['openid']);
    const relative = principalFromFhirUser(`${kind}/abc-1`, EHR_BASE, ['openid']);
    expect(absolute).toEqual({ fhirUser: `${EHR_BASE}/${kind}/abc-1`, reference: `${kind}/abc-1`, kind, scopes: ['openid'] });
    expect(relative).toEqual(absolute);
  });

  it.each([
    'Organization/o1',
    'Patient/',
    '/Patient/p1',
    'Patient/p1/_history/2',
    'Patient/p1?x=1',
    'Patient/p1#f',
    'Patient/../Practitioner/p1',
    './Patient/p1',
    '../R4/Patient/p1',
    '//evil.example/fhir/R4/Patient/p1',
    'Patient/p 1',
    'Patient/%70%31',
    `Patient/${'x'.repeat(65)}`,
    'patient/p1',
    '',
  ])('refuses the relative claim %j', (claim) => {
    expect(principalFromFhirUser(claim, EHR_BASE, [])).toBeUndefined();
  });
});

describe('sign-in with a relative fhirUser', () => {
  it.each(KINDS)('signs in a relative %s claim, stored as the absolute URL on the session base', async (kind) => {
    const browser = h.browser();
    const res = await signIn(h, browser, { fhirUser: `${kind}/abc-1` });
    expect(res.status).toBe(303);
    const session = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
    expect(session?.principal).toMatchObject({ fhirUser: `${EHR_BASE}/${kind}/abc-1`, reference: `${kind}/abc-1`, kind });
  });

  it('a relative RelatedPerson that exists is read on the session base and leads on to its patient, as the absolute claim does', async () => {
    for (const fhirUser of ['RelatedPerson/rp-1', `${EHR_BASE}/RelatedPerson/rp-1`]) {
      const before = h.ehr.requests.length;
      const browser = h.browser();
      expect((await signIn(h, browser, { fhirUser })).status).toBe(303);
      await browser.request('/api/session'); // the fake EHR has no search API; the reads are what this test is about
      const urls = h.ehr.requests.slice(before).map((r) => r.url);
      expect(urls).toContain(`${EHR_BASE}/RelatedPerson/rp-1`);
      expect(urls.some((url) => url.startsWith(`${EHR_BASE}/Patient/child-1`))).toBe(true);
    }
  });

  it('a relative claim naming a resource the EHR does not have is refused: nobody is related, nothing is read for it', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser, { fhirUser: 'RelatedPerson/ghost' })).status).toBe(303);
    const res = await browser.request('/api/session');
    expect(res.status).toBe(200);
    const view = (await res.json()) as { patients: unknown[] };
    expect(view.patients).toEqual([]);
    // The principal was looked up on the session's base, and the missing resource stopped everything else.
    expect(h.ehr.requestsTo(`${EHR_BASE}/RelatedPerson/ghost`).length).toBeGreaterThan(0);
    expect(h.ehr.requestsTo(`${EHR_BASE}/Patient/child-1`)).toHaveLength(0);
  });

  it('a relative claim of a kind that is not a person is still refused at the callback', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser, { fhirUser: 'Organization/o1' })).status).toBe(400);
    expect(browser.cookies.has(SESSION)).toBe(false);
  });
});
