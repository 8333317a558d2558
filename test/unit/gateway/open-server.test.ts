/** Open-server test mode: off by default; when on, /login asks whom to act as and the session has no token. */
import type { RelatedPerson } from 'fhir/r4';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closeSharedStore, createHarness, PORTAL, type Harness } from './support/harness.ts';
import { EHR_BASE } from './support/fake-ehr.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ env: { OPEN_SERVER_MODE: 'true' } });
  h.ehr.requireToken = false;
  h.ehr.resources.set('RelatedPerson/rp-1', { resourceType: 'RelatedPerson', id: 'rp-1', patient: { reference: 'Patient/p1' } } as RelatedPerson);
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
});
afterAll(closeSharedStore);

const form = (fhirUser: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: PORTAL },
  body: new URLSearchParams({ fhirUser }).toString(),
});

describe('open-server mode', () => {
  it('is off by default: /login goes to OAuth', async () => {
    const normal = await createHarness();
    expect((await normal.browser().request('/login')).status).toBe(302);
    expect((await normal.browser().request('/login', form('RelatedPerson/rp-1'))).status).toBe(404);
  });

  it('asks whom to act as, labelled as test mode', async () => {
    const res = await h.browser().request('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Test mode');
    expect(html).toContain('<form method="post" action="/login">');
  });

  it('creates a token-less open-server session for an existing resource and reads without a token', async () => {
    const browser = h.browser();
    const res = await browser.request('/login', form('RelatedPerson/rp-1'));
    expect(res.status).toBe(303);
    const session = await h.store.sessions.get(browser.cookies.get('__Host-sprout') ?? '');
    expect(session?.openServerMode).toBe(true);
    expect(session?.tokens).toBeUndefined();
    expect(session?.principal).toEqual({ fhirUser: `${EHR_BASE}/RelatedPerson/rp-1`, reference: 'RelatedPerson/rp-1', kind: 'RelatedPerson', scopes: [] });
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    const fhirRead = h.ehr.requestsTo(`${EHR_BASE}/Patient/p1`);
    expect(fhirRead.at(-1)?.headers.get('authorization')).toBeNull();
  });

  it.each(['RelatedPerson/missing', 'Organization/o1', 'https://evil.example/Patient/p1', 'Patient/../x'])('refuses %s', async (ref) => {
    const browser = h.browser();
    expect((await browser.request('/login', form(ref))).status).toBe(400);
    expect(browser.cookies.has('__Host-sprout')).toBe(false);
  });

  it('refuses a cross-site form post', async () => {
    const res = await h.browser().request('/login', { ...form('RelatedPerson/rp-1'), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('refuses a blocked account (reported unauthorized access) with the kind page, until staff clear it', async () => {
    h.ehr.resources.set('RelatedPerson/rp-blocked', { resourceType: 'RelatedPerson', id: 'rp-blocked', patient: { reference: 'Patient/p1' } } as RelatedPerson);
    const fhirUser = `${EHR_BASE}/RelatedPerson/rp-blocked`;
    await h.store.accountBlocks.block({ fhirUser, reason: 'reported-unauthorized-access', blockedAt: new Date(h.clock.now()).toISOString() });
    const browser = h.browser();
    const res = await browser.request('/login', form('RelatedPerson/rp-blocked'));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Sign-in is paused for this account');
    expect(browser.cookies.has('__Host-sprout')).toBe(false);
    await h.store.accountBlocks.clear(fhirUser);
    expect((await browser.request('/login', form('RelatedPerson/rp-blocked'))).status).toBe(303);
  });

  it('has no EHR launch', async () => {
    expect((await h.browser().request(`/launch?iss=${encodeURIComponent(EHR_BASE)}&launch=x`)).status).toBe(400);
  });
});
