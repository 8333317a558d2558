/**
 * Issue 14, class 8: the clinician's family-view preview. The pure core decides each linked guardian and the patient
 * exactly as their own sign-in would be, with the dates access changes; the route serves it to a practitioner on the
 * launched patient only, audited, and to nobody else. Also class 1's served-actions registry and the signed-out
 * session probe (no 401 on a signed-out page load).
 */
import type { FhirResource, Patient, RelatedPerson } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableActionsFor, createServedActions } from '../../../gateway/src/actions/available.ts';
import { familyPreview } from '../../../gateway/src/api/family-preview.ts';
import { decidePatientAccess } from '../../../gateway/src/policy/access.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import type { AccessFeatures } from '../../../gateway/src/policy/types.ts';
import { createSandboxUpstream, SANDBOX_BASE, type SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';

const PROFILE = BUILTIN_PROFILES['ca-strict'];
/** The harness clock's instant (2026-03-01 09:00 in Los Angeles). */
const AS_OF = new Date('2026-03-01T17:00:00Z');

const teen: Patient = {
  resourceType: 'Patient',
  id: 'pv-teen',
  birthDate: '2014-06-15', // 11 on the test day: turns 12 on 2026-06-15, 18 on 2032-06-15
  gender: 'female',
  name: [{ use: 'official', family: 'Vega', given: ['Nora'] }],
};
const mother: RelatedPerson = {
  resourceType: 'RelatedPerson',
  id: 'pv-mom',
  active: true,
  patient: { reference: 'Patient/pv-teen' },
  name: [{ family: 'Vega', given: ['Rosa'] }],
  relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH', display: 'mother' }] }],
};
const other: Patient = { resourceType: 'Patient', id: 'pv-other', birthDate: '2019-01-01', name: [{ family: 'Other', given: ['Ana'] }] };

describe('familyPreview (pure core)', () => {
  const preview = familyPreview({ patient: teen, relatedPersons: [mother], consents: [] }, PROFILE, AS_OF);

  it('decides the guardian exactly as her own sign-in would be, and names the rule for the clinician', () => {
    const guardian = preview.viewers.find((viewer) => viewer.reference === 'RelatedPerson/pv-mom');
    const own = decidePatientAccess(
      { principal: { fhirUser: 'RelatedPerson/pv-mom', reference: 'RelatedPerson/pv-mom', kind: 'RelatedPerson', scopes: [] }, patient: teen, relatedPersons: [mother], consents: [] },
      PROFILE,
      AS_OF,
    );
    expect(guardian).toMatchObject({ kind: 'guardian', name: 'Rosa Vega', relationship: 'mother', role: 'guardian' });
    expect(guardian?.today).toMatchObject({ level: own.level, reason: own.reason, messageKey: own.messageKey, legalBasis: own.legalBasis });
    expect(guardian?.today.level).toBe('full');
  });

  it('lists the dates access changes: the 12th birthday first', () => {
    const guardian = preview.viewers.find((viewer) => viewer.kind === 'guardian');
    expect(guardian?.changes[0]).toMatchObject({ localDate: '2026-06-15' });
    expect(guardian?.changes[0]?.level).not.toBe('full');
    for (const [index, change] of (guardian?.changes ?? []).entries()) {
      if (index > 0) expect(change.localDate > (guardian?.changes[index - 1]?.localDate ?? '')).toBe(true);
    }
  });

  it('includes the patient themself, decided as a Patient sign-in', () => {
    const self = preview.viewers.find((viewer) => viewer.kind === 'patient');
    expect(self).toMatchObject({ reference: 'Patient/pv-teen', name: 'Nora Vega', role: 'self' });
    expect(self?.today.level).toBe('none'); // an 11-year-old has no own account
  });

  it('ignores RelatedPersons of another patient', () => {
    const stray: RelatedPerson = { ...mother, id: 'pv-stray', patient: { reference: 'Patient/pv-other' } };
    const result = familyPreview({ patient: teen, relatedPersons: [mother, stray], consents: [] }, PROFILE, AS_OF);
    expect(result.viewers.map((viewer) => viewer.reference)).toEqual(['RelatedPerson/pv-mom', 'Patient/pv-teen']);
  });
});

describe('served actions (class 1)', () => {
  const all: AccessFeatures = { viewRecord: true, messages: true, appointmentRequests: true, renewals: true, bills: 'balance-only' };

  it('promises only what the policy allows and the gateway serves', () => {
    expect(availableActionsFor(all, [])).toEqual([]);
    expect(availableActionsFor(all, ['messages'])).toEqual(['messages']);
    expect(availableActionsFor(all, ['messages', 'bills', 'renewals', 'appointment-requests'])).toEqual([
      'messages',
      'appointment-requests',
      'renewals',
      'balance',
    ]);
    expect(availableActionsFor({ ...all, messages: false, bills: 'none' }, ['messages', 'bills'])).toEqual([]);
  });

  it('registers kinds once, in a stable order, and refuses unknown kinds', () => {
    const served = createServedActions();
    served.register('bills');
    served.register('messages');
    served.register('messages');
    expect(served.served()).toEqual(['messages', 'bills']);
    expect(() => served.register('teleport' as never)).toThrow(/Unknown action kind/);
  });
});

describe('GET /api/clinician/family-preview and the signed-out probe', () => {
  let sandbox: SandboxUpstream;
  let h: Harness;
  const RESOURCES: FhirResource[] = [
    teen,
    mother,
    other,
    { resourceType: 'Practitioner', id: 'pv-dr', name: [{ family: 'Shah', given: ['Priya'] }] },
  ];

  beforeAll(async () => {
    sandbox = await createSandboxUpstream(RESOURCES);
    h = await createHarness({
      wrapFetch: (ehrFetch) => async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.startsWith(`${EHR_BASE}/`) || url.includes('/.well-known/')) return ehrFetch(input, init);
        const answer = await sandbox.fetch(url.replace(EHR_BASE, SANDBOX_BASE), init);
        const text = (await answer.text()).replaceAll(SANDBOX_BASE, EHR_BASE);
        return new Response(text, { status: answer.status, headers: answer.headers });
      },
    });
  }, 60_000);
  afterAll(closeSharedStore);

  it('answers the launched patient to a practitioner, and audits it', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser, { fhirUser: `${EHR_BASE}/Practitioner/pv-dr`, patient: 'pv-teen' })).status).toBe(303);
    const res = await browser.request('/api/clinician/family-preview/pv-teen');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { viewers: Array<{ reference: string; today: { reason: string } }> };
    expect(body.viewers.map((viewer) => viewer.reference)).toEqual(['RelatedPerson/pv-mom', 'Patient/pv-teen']);
    const audit = await h.store.audit.listForPatient('Patient/pv-teen');
    expect(audit.find((record) => record.action === 'family-preview')).toMatchObject({
      actor: `${EHR_BASE}/Practitioner/pv-dr`,
      outcome: 'allowed',
      returned: ['Patient/pv-teen', 'RelatedPerson/pv-mom'],
    });
    // Another patient than the launched one is answered like a missing one.
    expect((await browser.request('/api/clinician/family-preview/pv-other')).status).toBe(404);
    expect((await browser.request('/api/clinician/family-preview/..%2Fpv-teen')).status).toBe(404);
  });

  it('refuses a family member', async () => {
    const browser = h.browser();
    expect((await signIn(h, browser, { fhirUser: `${EHR_BASE}/RelatedPerson/pv-mom` })).status).toBe(303);
    expect((await browser.request('/api/clinician/family-preview/pv-teen')).status).toBe(403);
  });

  it('signed out: the probe is a 200 with what is served; everything else stays 401', async () => {
    const browser = h.browser();
    const probe = await browser.request('/api/session?probe=1');
    expect(probe.status).toBe(200);
    const view = (await probe.json()) as { signedIn: boolean; servedActions: unknown };
    expect(view.signedIn).toBe(false);
    expect(Array.isArray(view.servedActions)).toBe(true);
    expect((await browser.request('/api/session')).status).toBe(401);
    expect((await browser.request('/api/clinician/family-preview/pv-teen')).status).toBe(401);
  });
});
