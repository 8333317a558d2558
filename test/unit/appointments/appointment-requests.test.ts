/**
 * Appointment requests, self-scheduling and changes on the real sandbox EHR and a real store: what is written in
 * FHIR, what the family's Requests list says, the policy matrix per profile and age band, and bad input refused
 * with a localized message before anything is written.
 */
import type { Appointment, Slot, Task } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, ehrSearch, errorOf, newKey, REQUESTS_ONLY, windowIn } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
let daniel: SignedInUser;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  daniel = await signInToSandbox(sandbox, 'daniel');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

const request = (patientId: string, overrides: Record<string, unknown> = {}) => ({
  patientId,
  reason: 'check-up',
  details: 'Yearly check-up and a school form',
  with: 'Practitioner/priya-shah',
  windows: [windowIn(3), windowIn(5)],
  phone: '(714) 555-0142',
  ...overrides,
});

describe('requesting an appointment', () => {
  it('writes a proposed Appointment with the preferred windows, once per key, and lists it as sent', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    const key = newKey();
    const body = request('sofia-rivera');
    const first = await client.post('/api/care/appointment-requests', body, { key });
    expect(first.status).toBe(201);
    const { reference } = (await first.json()) as { reference: string };
    const again = await client.post('/api/care/appointment-requests', body, { key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { reference: string }).reference).toBe(reference);

    const [appointment] = await ehrSearch<Appointment>(maria, `Appointment?_id=${reference.split('/')[1]}`);
    expect(appointment).toMatchObject({ status: 'proposed', requestedPeriod: body.windows.map((w) => ({ start: w.start, end: w.end })) });
    expect(appointment?.participant?.map((p) => [p.actor?.reference, p.status])).toEqual([
      ['Patient/sofia-rivera', 'needs-action'],
      ['Practitioner/priya-shah', 'needs-action'],
      ['RelatedPerson/maria-rivera-for-sofia', 'accepted'],
    ]);
    expect(appointment?.meta?.security ?? []).toEqual([]);
    const sameKey = (await ehrSearch<Appointment>(maria, 'Appointment?patient=Patient/sofia-rivera&status=proposed')).filter((a) => a.comment === appointment?.comment && a.created === appointment?.created);
    expect(sameKey).toHaveLength(1);

    const list = (await (await client.get('/api/care/requests?patient=sofia-rivera')).json()) as { requests: { reference: string; state: string; kind: string }[] };
    expect(list.requests.find((r) => r.reference === reference)).toMatchObject({ kind: 'appointment', state: 'sent' });
  });

  it('refuses past and too-distant windows and a clinician outside the care team, in Spanish too, writing nothing', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    const before = (await ehrSearch<Appointment>(maria, 'Appointment?patient=Patient/sofia-rivera&status=proposed')).length;
    const past = await client.post('/api/care/appointment-requests', request('sofia-rivera', { windows: [windowIn(-1)] }), { language: 'es' });
    expect(past.status).toBe(400);
    expect(await errorOf(past)).toEqual({ code: 'date-in-past', text: expect.stringMatching(/^Esa hora ya pasó/) });
    const far = await client.post('/api/care/appointment-requests', request('sofia-rivera', { windows: [windowIn(200)] }));
    expect(await errorOf(far)).toMatchObject({ code: 'beyond-horizon' });
    const stranger = await client.post('/api/care/appointment-requests', request('sofia-rivera', { with: 'Practitioner/omar-haddad' }));
    expect(await errorOf(stranger)).toMatchObject({ code: 'not-care-team' });
    const other = await client.post('/api/care/appointment-requests', request('sofia-rivera', { reason: 'other', details: '' }));
    expect(await errorOf(other)).toMatchObject({ code: 'invalid-input' });
    expect((await ehrSearch<Appointment>(maria, 'Appointment?patient=Patient/sofia-rivera&status=proposed')).length).toBe(before);
  });

  it('follows the profile per age band: a parent of a teen may request under the messaging variant, not under strict', async () => {
    const strict = await careClient(maria, sandbox, store, 'ca-strict').post('/api/care/appointment-requests', request('isabel-rivera'));
    expect(strict.status).toBe(403);
    expect(await errorOf(strict)).toMatchObject({ code: 'not-permitted' });
    const variant = await careClient(maria, sandbox, store, 'ca-strict-messaging').post('/api/care/appointment-requests', request('isabel-rivera'));
    expect(variant.status).toBe(201);
    // Nobody acts for a patient they have no relation to: daniel is Isabel's father only.
    const stranger = await careClient(daniel, sandbox, store, 'ca-strict-messaging').post('/api/care/appointment-requests', request('sofia-rivera'));
    expect(stranger.status).toBe(403);
    expect(await errorOf(stranger)).toMatchObject({ code: 'not-permitted' });
  });
});

describe('self-scheduling', () => {
  async function freeSlot(): Promise<Slot> {
    const slots = await ehrSearch<Slot>(maria, 'Slot?status=free&schedule=Schedule/general-pediatrics-shah&_count=100');
    const slot = slots.sort((a, b) => a.start.localeCompare(b.start)).find((s) => Date.parse(s.start) > Date.now());
    if (slot === undefined) throw new Error('the sandbox seeded no free slot');
    return slot;
  }

  it('lists open slots for an offered visit type, none for a hospital without self-scheduling', async () => {
    const offered = (await (await careClient(maria, sandbox, store, 'ca-strict-messaging').get('/api/care/slots?patient=sofia-rivera&visitType=well-child')).json()) as { slots: { id: string; clinic: string }[] };
    expect(offered.slots.length).toBeGreaterThan(0);
    expect(offered.slots[0]?.clinic).toBe('General Pediatrics — Dr. Shah');
    const none = (await (await careClient(maria, sandbox, store, REQUESTS_ONLY).get('/api/care/slots?patient=sofia-rivera&visitType=well-child')).json()) as { slots: unknown[] };
    expect(none.slots).toEqual([]);
  });

  it('two sessions book one slot at once: exactly one wins, the other hears that the time was just taken', async () => {
    const slot = await freeSlot();
    const forSofia = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const forIsabel = careClient(daniel, sandbox, store, 'ca-strict-messaging');
    const answers = await Promise.all([
      forSofia.post('/api/care/bookings', { patientId: 'sofia-rivera', slotId: slot.id, visitType: 'well-child' }),
      forIsabel.post('/api/care/bookings', { patientId: 'isabel-rivera', slotId: slot.id, visitType: 'well-child' }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409]);
    const loser = answers.find((a) => a.status === 409);
    expect(await errorOf(loser as Response)).toMatchObject({ code: 'slot-taken', text: 'Sorry, that time was just taken. Please choose another time.' });
    const booked = await ehrSearch<Appointment>(maria, `Appointment?slot=Slot/${slot.id ?? ''}`);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ status: 'booked', start: slot.start, end: slot.end });
    const [after] = await ehrSearch<Slot>(maria, `Slot?_id=${slot.id ?? ''}`);
    expect(after?.status).toBe('busy');
  });

  it('refuses a vanished slot and a visit type the profile does not offer', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const gone = await client.post('/api/care/bookings', { patientId: 'sofia-rivera', slotId: 'no-such-slot', visitType: 'well-child' });
    expect(gone.status).toBe(410);
    expect(await errorOf(gone)).toMatchObject({ code: 'slot-gone' });
    const slot = await freeSlot();
    const notOffered = await client.post('/api/care/bookings', { patientId: 'sofia-rivera', slotId: slot.id, visitType: 'surgery' });
    expect(notOffered.status).toBe(403);
  });
});

describe('rescheduling and cancelling', () => {
  async function bookedFarAway(client: ReturnType<typeof careClient>): Promise<string> {
    const slots = await ehrSearch<Slot>(maria, 'Slot?status=free&schedule=Schedule/general-pediatrics-shah&_count=100');
    const slot = slots.sort((a, b) => b.start.localeCompare(a.start))[0];
    const booked = await client.post('/api/care/bookings', { patientId: 'sofia-rivera', slotId: slot?.id, visitType: 'follow-up' });
    expect(booked.status).toBe(201);
    return ((await booked.json()) as { reference: string }).reference.split('/')[1] ?? '';
  }

  it('asks to reschedule with a Task the family can follow, and refuses a second open request', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const appointmentId = await bookedFarAway(client);
    const body = { patientId: 'sofia-rivera', appointmentId, kind: 'reschedule', reason: 'School trip', windows: [windowIn(10)] };
    const asked = await client.post('/api/care/appointment-changes', body);
    expect(asked.status).toBe(201);
    const [task] = await ehrSearch<Task>(maria, `Task?focus=Appointment/${appointmentId}`);
    expect(task).toMatchObject({ status: 'requested', description: 'School trip', for: { reference: 'Patient/sofia-rivera' } });
    const twice = await client.post('/api/care/appointment-changes', body);
    expect(await errorOf(twice)).toMatchObject({ code: 'already-requested' });
    const list = (await (await client.get('/api/care/requests?patient=sofia-rivera')).json()) as { requests: { kind: string; state: string; about?: string }[] };
    expect(list.requests).toContainEqual(expect.objectContaining({ kind: 'reschedule', state: 'sent', about: `Appointment/${appointmentId}` }));
  });

  it('cancels directly where the profile allows and the visit is far enough away, giving the slot back', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const appointmentId = await bookedFarAway(client);
    const cancelled = await client.post('/api/care/appointment-changes', { patientId: 'sofia-rivera', appointmentId, kind: 'cancel', mode: 'direct' });
    expect(cancelled.status).toBe(200);
    const [appointment] = await ehrSearch<Appointment>(maria, `Appointment?_id=${appointmentId}`);
    expect(appointment?.status).toBe('cancelled');
    const [slot] = await ehrSearch<Slot>(maria, `Slot?_id=${appointment?.slot?.[0]?.reference?.split('/')[1] ?? ''}`);
    expect(slot?.status).toBe('free');
    // Without the setting (a hospital that takes requests only), only a request is possible.
    const again = await bookedFarAway(client);
    const strict = await careClient(maria, sandbox, store, REQUESTS_ONLY).post('/api/care/appointment-changes', { patientId: 'sofia-rivera', appointmentId: again, kind: 'cancel', mode: 'direct' });
    expect(await errorOf(strict)).toMatchObject({ code: 'not-changeable' });
  });

  it('will not change a past appointment or one of a patient the person may not act for', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const past = await client.post('/api/care/appointment-changes', { patientId: 'sofia-rivera', appointmentId: 'sofia-appt-past', kind: 'cancel', reason: 'x' });
    expect(await errorOf(past)).toMatchObject({ code: 'not-changeable' });
    const foreign = await client.post('/api/care/appointment-changes', { patientId: 'sofia-rivera', appointmentId: 'mateo-appt-upcoming', kind: 'cancel', reason: 'x' });
    expect(await errorOf(foreign)).toMatchObject({ code: 'not-changeable' });
  });
});
