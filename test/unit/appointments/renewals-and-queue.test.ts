/**
 * Prescription renewals and the clinician work queue, end to end below the browser: maria asks (the gateway's
 * actions on the real sandbox), dr.shah answers in the sandbox's /ehr/care-requests over HTTP, and maria's Requests
 * list shows the answer — booked with the real time, declined with the reason, renewal approved with a new order.
 */
import type { Appointment, MedicationRequest, Task } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { EhrClient } from '../actions/support/ehr-client.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, ehrSearch, errorOf, windowIn } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
let shah: EhrClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  shah = new EhrClient(sandbox.url);
  await shah.signIn('dr.shah', sandbox.password);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

interface Listed { reference: string; kind: string; state: string; answer?: string; start?: string; medication?: string }
const requestsOf = async (client: ReturnType<typeof careClient>, patient: string) =>
  ((await (await client.get(`/api/care/requests?patient=${patient}`)).json()) as { requests: Listed[] }).requests;

describe('prescription renewals', () => {
  it('offers a renewal only where refills are used up or the order expired, explains the ones that need a visit', async () => {
    const options = (await (await careClient(maria, sandbox, store, 'ca-strict').get('/api/care/options?patient=sofia-rivera')).json()) as {
      medications: { id: string; renewal: string }[];
    };
    expect(Object.fromEntries(options.medications.map((m) => [m.id, m.renewal]))).toEqual({
      'sofia-hydrocortisone': 'offered', // three fills: both refills used
      'sofia-methylphenidate': 'needs-visit', // a stimulant, used up: controlled
    });
  });

  it('writes a proposal basedOn the original plus a Task for the prescriber, once; refuses a second and the non-renewable', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    const asked = await client.post('/api/care/renewals', { patientId: 'sofia-rivera', medicationRequestId: 'sofia-hydrocortisone', quantityNote: 'a bigger tube', pharmacy: 'CVS on Main St' });
    expect(asked.status).toBe(201);
    const { reference, task } = (await asked.json()) as { reference: string; task: string };
    const [proposal] = await ehrSearch<MedicationRequest>(maria, `MedicationRequest?_id=${reference.split('/')[1]}`);
    expect(proposal).toMatchObject({
      intent: 'proposal', status: 'active', basedOn: [{ reference: 'MedicationRequest/sofia-hydrocortisone' }],
      requester: { reference: 'RelatedPerson/maria-rivera-for-sofia' }, note: [{ text: 'Quantity: a bigger tube' }, { text: 'Pharmacy: CVS on Main St' }],
    });
    const [taskResource] = await ehrSearch<Task>(maria, `Task?_id=${task.split('/')[1]}`);
    expect(taskResource).toMatchObject({ status: 'requested', focus: { reference }, owner: { reference: 'Practitioner/priya-shah' } });

    const twice = await client.post('/api/care/renewals', { patientId: 'sofia-rivera', medicationRequestId: 'sofia-hydrocortisone' });
    expect(await errorOf(twice)).toMatchObject({ code: 'already-requested' });
    const visit = await client.post('/api/care/renewals', { patientId: 'sofia-rivera', medicationRequestId: 'sofia-methylphenidate' }, { language: 'es' });
    expect(await errorOf(visit)).toEqual({ code: 'renewal-needs-visit', text: expect.stringMatching(/^Por la seguridad de su familia/) });
    const notYet = await client.post('/api/care/renewals', { patientId: 'leo-rivera', medicationRequestId: 'leo-vitamin-d' });
    expect(await errorOf(notYet)).toMatchObject({ code: 'not-renewable' });
    // Another child's medicine named under this child reads the same as one that is not renewable.
    const foreign = await client.post('/api/care/renewals', { patientId: 'sofia-rivera', medicationRequestId: 'leo-vitamin-d' });
    expect(await errorOf(foreign)).toMatchObject({ code: 'not-renewable' });
    expect((await requestsOf(client, 'sofia-rivera')).find((r) => r.reference === task)).toMatchObject({ kind: 'renewal', state: 'sent', medication: 'Hydrocortisone 1% cream' });
  });
});

describe('the clinician work queue', () => {
  it('dr.shah books one request at a real time and declines another with a reason; maria sees both answers', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    const ask = async (details: string) => {
      const response = await client.post('/api/care/appointment-requests', {
        patientId: 'sofia-rivera', reason: 'follow-up', details, with: 'Practitioner/priya-shah', windows: [windowIn(4)], phone: '714-555-0142',
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { reference: string }).reference;
    };
    const toBook = await ask('ear check');
    const toDecline = await ask('cough');
    const queue = await (await shah.request('/ehr/care-requests')).text();
    expect(queue).toContain('ear check');
    expect(queue).toContain('Sofia Rivera');

    const start = windowIn(4).start;
    const booked = await shah.request(`/ehr/care-requests/appointment/${toBook.split('/')[1]}/book`, { csrf: shah.csrf, start, minutes: '20' });
    expect(booked.status).toBe(303);
    const declined = await shah.request(`/ehr/care-requests/appointment/${toDecline.split('/')[1]}/decline`, { csrf: shah.csrf, reason: 'Please see the school nurse first.' });
    expect(declined.status).toBe(303);
    // Answering twice: the second clinician hears that it was already answered.
    const again = await shah.request(`/ehr/care-requests/appointment/${toDecline.split('/')[1]}/decline`, { csrf: shah.csrf, reason: 'again' });
    expect(again.status).toBe(409);

    const list = await requestsOf(client, 'sofia-rivera');
    expect(list.find((r) => r.reference === toBook)).toMatchObject({ state: 'booked', start });
    expect(list.find((r) => r.reference === toDecline)).toMatchObject({ state: 'declined', answer: 'Please see the school nurse first.' });
    const [appointment] = await ehrSearch<Appointment>(maria, `Appointment?_id=${toBook.split('/')[1]}`);
    expect(appointment).toMatchObject({ status: 'booked', minutesDuration: 20 });
    expect(appointment?.participant?.every((p) => p.status === 'accepted')).toBe(true);
  });

  it('approves a renewal with a new order; declines a reschedule request with a reason', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    const listed = (await requestsOf(client, 'sofia-rivera')).find((r) => r.kind === 'renewal' && r.state === 'sent')
      ?? await (async () => {
        const asked = await client.post('/api/care/renewals', { patientId: 'sofia-rivera', medicationRequestId: 'sofia-hydrocortisone' });
        return { reference: ((await asked.json()) as { task: string }).task };
      })();
    const taskId = listed.reference.split('/')[1] ?? '';
    expect((await shah.request(`/ehr/care-requests/task/${taskId}/accept`, { csrf: shah.csrf, repeats: '3' })).status).toBe(303);
    const [task] = await ehrSearch<Task>(maria, `Task?_id=${taskId}`);
    expect(task?.status).toBe('completed');
    const newOrder = task?.output?.[0]?.valueReference?.reference ?? '';
    const [order] = await ehrSearch<MedicationRequest>(maria, `MedicationRequest?_id=${newOrder.split('/')[1]}`);
    expect(order).toMatchObject({ intent: 'order', status: 'active', priorPrescription: { reference: 'MedicationRequest/sofia-hydrocortisone' }, dispenseRequest: { numberOfRepeatsAllowed: 3 } });
    expect((await requestsOf(client, 'sofia-rivera')).find((r) => r.reference === `Task/${taskId}`)).toMatchObject({ state: 'approved' });

    // A reschedule request for Sofia's booked video visit is declined with a reason.
    const upcoming = (await ehrSearch<Appointment>(maria, 'Appointment?patient=Patient/sofia-rivera&status=booked')).find((a) => Date.parse(a.start ?? '') > Date.now());
    const change = await careClient(maria, sandbox, store, 'ca-strict').post('/api/care/appointment-changes', {
      patientId: 'sofia-rivera', appointmentId: upcoming?.id, kind: 'reschedule', reason: 'exam week', windows: [windowIn(12)],
    });
    expect(change.status).toBe(201);
    const changeTask = ((await change.json()) as { reference: string }).reference;
    expect((await shah.request(`/ehr/care-requests/task/${changeTask.split('/')[1]}/decline`, { csrf: shah.csrf, reason: 'No other times that week.' })).status).toBe(303);
    expect((await requestsOf(client, 'sofia-rivera')).find((r) => r.reference === changeTask)).toMatchObject({ state: 'declined', answer: 'No other times that week.' });
  });
});
