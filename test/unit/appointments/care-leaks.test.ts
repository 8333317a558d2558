/**
 * A teen's own care requests are confidential: Isabel (15) asks for an appointment, a renewal of her confidential
 * prescription and a change to her teen-clinic visit; her parents — maria and daniel — see none of it on any path
 * (the Requests list, every facade read and search of Appointment, Task and MedicationRequest), and cannot act on
 * it. Isabel herself sees all three (so the test would notice if nothing had been written).
 */
import type { Bundle } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, errorOf, windowIn, type ProfileId } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let isabel: SignedInUser;
let parents: Record<string, SignedInUser>;
const written: string[] = [];
const PROFILE: ProfileId = 'ca-adolescent-split';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  isabel = await signInToSandbox(sandbox, 'isabel');
  parents = { maria: await signInToSandbox(sandbox, 'maria'), daniel: await signInToSandbox(sandbox, 'daniel') };
  const teen = careClient(isabel, sandbox, store, PROFILE);
  const appointment = await teen.post('/api/care/appointment-requests', {
    patientId: 'isabel-rivera', reason: 'other', details: 'follow-up about my results', with: 'Practitioner/marcus-lee', windows: [windowIn(6)], phone: '714-555-0199',
  });
  expect(appointment.status).toBe(201);
  written.push(((await appointment.json()) as { reference: string }).reference);
  const renewal = await teen.post('/api/care/renewals', { patientId: 'isabel-rivera', medicationRequestId: 'isabel-azithromycin' });
  expect(renewal.status).toBe(201);
  const renewalBody = (await renewal.json()) as { reference: string; task: string };
  written.push(renewalBody.reference, renewalBody.task);
  const upcoming = await teen.post('/api/care/appointment-changes', {
    patientId: 'isabel-rivera', appointmentId: 'isabel-appt-teen-clinic', kind: 'cancel', reason: 'I feel better',
  });
  // The seeded teen-clinic visit may already be in the past after date shifting; only a future one can be changed.
  if (upcoming.status === 201) written.push(((await upcoming.json()) as { reference: string }).reference);
}, 90_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

const idsIn = async (response: Response): Promise<string[]> =>
  (((await response.json()) as Bundle).entry ?? []).map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);

describe("a teen's own requests", () => {
  it('are written labelled restricted and listed for the teen', async () => {
    expect(written.length).toBeGreaterThanOrEqual(3);
    const own = ((await (await careClient(isabel, sandbox, store, PROFILE).get('/api/care/requests?patient=isabel-rivera')).json()) as { requests: { reference: string }[] }).requests;
    for (const reference of written.filter((r) => !r.startsWith('MedicationRequest/'))) expect(own.map((r) => r.reference)).toContain(reference);
    for (const reference of written) {
      const result = await isabel.upstream().getJson(reference);
      expect(result.ok && result.resource.meta?.security?.some((s) => s.code === 'R')).toBe(true);
    }
  });

  for (const parent of ['maria', 'daniel']) {
    it(`are invisible to ${parent} on every path`, async () => {
      const client = careClient(parents[parent] as SignedInUser, sandbox, store, PROFILE);
      const listed = await client.get('/api/care/requests?patient=isabel-rivera');
      if (listed.status === 200) {
        const references = ((await listed.json()) as { requests: { reference: string; about?: string }[] }).requests.flatMap((r) => [r.reference, r.about]);
        for (const reference of written) expect(references).not.toContain(reference);
      } else {
        expect(listed.status).toBe(403);
      }
      for (const reference of written) {
        expect((await client.get(`/fhir/${reference}`)).status).toBe(404);
        expect((await client.get(`/fhir/${reference}/_history`)).status).toBe(404);
      }
      for (const search of ['Appointment?patient=isabel-rivera', 'Task?patient=isabel-rivera', 'MedicationRequest?patient=isabel-rivera', 'MedicationRequest?patient=isabel-rivera&intent=proposal']) {
        const response = await client.get(`/fhir/${search}`);
        if (response.status === 200) {
          const ids = await idsIn(response);
          for (const reference of written) expect(ids).not.toContain(reference);
        } else {
          expect([400, 403, 404]).toContain(response.status);
        }
      }
      // Nor can a parent act on the teen's requests or her confidential medicine.
      const renew = await client.post('/api/care/renewals', { patientId: 'isabel-rivera', medicationRequestId: 'isabel-azithromycin' });
      expect(await errorOf(renew)).toMatchObject({ code: expect.stringMatching(/^(not-renewable|not-permitted)$/) });
      const change = await client.post('/api/care/appointment-changes', { patientId: 'isabel-rivera', appointmentId: written[0]?.split('/')[1], kind: 'cancel', reason: 'x' });
      expect(await errorOf(change)).toMatchObject({ code: expect.stringMatching(/^(not-changeable|not-permitted)$/) });
    });
  }
});
