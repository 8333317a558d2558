/**
 * Issue 8, classes 8 and 9, for GET /api/session: the browser learns each patient's access level, features and the
 * key of the kind explanation, never which rule applied (`reason`, legal basis: a harm determination, a court order);
 * and every patient the answer discloses gets its own audit record, with the machine reason kept there.
 */
import type { FhirResource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../../gateway/src/store/types.ts';
import { createSandboxUpstream, SANDBOX_BASE, type SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn } from './support/harness.ts';

const guardianOf = (id: string, child: string): FhirResource => ({
  resourceType: 'RelatedPerson',
  id,
  active: true,
  patient: { reference: `Patient/${child}` },
  relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] }],
});

const FAMILY: FhirResource[] = [
  { resourceType: 'Patient', id: 'sv-flagged', birthDate: '2018-01-01', name: [{ use: 'official', family: 'Vega', given: ['Ana'] }], meta: { tag: [{ system: 'urn:sprout:patient-flag', code: 'guardian-access-harmful' }] } },
  { resourceType: 'Patient', id: 'sv-young', birthDate: '2020-05-05', name: [{ use: 'official', family: 'Vega', given: ['Luis'] }] },
  guardianOf('sv-mom-for-harmed', 'sv-flagged'),
  guardianOf('sv-mom-for-young', 'sv-young'),
  { resourceType: 'Person', id: 'sv-mom', name: [{ family: 'Vega', given: ['Rosa'] }], link: [{ target: { reference: 'RelatedPerson/sv-mom-for-harmed' } }, { target: { reference: 'RelatedPerson/sv-mom-for-young' } }] },
];

let sandbox: SandboxUpstream;
beforeAll(async () => {
  sandbox = await createSandboxUpstream(FAMILY);
}, 60_000);
afterAll(closeSharedStore);

describe('GET /api/session', () => {
  it('names no denial rule, and audits one record per patient disclosed', async () => {
    // The fake EHR signs in; FHIR reads go to the sandbox's server (re-based onto the fake EHR's URL).
    const h = await createHarness({
      wrapFetch: (ehrFetch) => async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.startsWith(`${EHR_BASE}/`) || url.includes('/.well-known/')) return ehrFetch(input, init);
        const answer = await sandbox.fetch(url.replace(EHR_BASE, SANDBOX_BASE), init);
        const text = (await answer.text()).replaceAll(SANDBOX_BASE, EHR_BASE);
        return new Response(text, { status: answer.status, headers: answer.headers });
      },
    });
    const browser = h.browser();
    expect((await signIn(h, browser, { fhirUser: `${EHR_BASE}/Person/sv-mom` })).status).toBe(303);

    const appended: AuditRecord[] = [];
    const append = h.store.audit.append.bind(h.store.audit);
    const spy = vi.spyOn(h.store.audit, 'append').mockImplementation(async (record) => {
      appended.push(record);
      await append(record);
    });
    let body: string;
    try {
      const res = await browser.request('/api/session');
      expect(res.status).toBe(200);
      body = await res.text();
    } finally {
      spy.mockRestore();
    }
    const view = JSON.parse(body) as { patients: Array<{ id: string; access: Record<string, unknown> }> };
    expect(view.patients.map((p) => p.id).sort()).toEqual(['sv-flagged', 'sv-young']);
    const flagged = view.patients.find((p) => p.id === 'sv-flagged');
    expect(flagged?.access['level']).toBe('none');
    for (const patient of view.patients) expect(Object.keys(patient.access).sort()).not.toContain('reason');
    for (const patient of view.patients) expect(Object.keys(patient.access).sort()).not.toContain('legalBasis');
    expect(body).not.toMatch(/harm|123115|reason|legalBasis/i);

    const byPatient = new Map(appended.map((r) => [r.patient, r]));
    expect(appended).toHaveLength(2);
    expect(byPatient.get('Patient/sv-flagged')).toMatchObject({
      actor: `${EHR_BASE}/Person/sv-mom`,
      action: 'session',
      query: 'GET /api/session',
      returned: ['Patient/sv-flagged'],
      reasons: ['guardian-access-harm-determination'],
    });
    expect(byPatient.get('Patient/sv-young')).toMatchObject({ returned: ['Patient/sv-young'], reasons: ['guardian-child-under-12'] });
    // The family's "who viewed" list now shows the dashboard's disclosure.
    expect((await h.store.audit.listForPatient('Patient/sv-young')).some((r) => r.action === 'session')).toBe(true);
  });
});
