/**
 * "Add to calendar": the .ics of a booked appointment says when and for whom, never why; an appointment the person
 * may not see, another patient's, or one not booked is the same 404. Pure folding/escaping checked on its own.
 */
import type { Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icsCalendar } from '../../../gateway/src/care-requests/calendar.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, ehrSearch } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

describe('add to calendar', () => {
  it('gives a booked appointment as iCalendar with its time and first name, and no reason or clinic', async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict-messaging');
    const slot = (await ehrSearch<Slot>(maria, 'Slot?status=free&schedule=Schedule/general-pediatrics-shah&_count=100'))[0];
    const booked = await client.post('/api/care/bookings', { patientId: 'sofia-rivera', slotId: slot?.id, visitType: 'well-child', details: 'ADHD medication check' });
    expect(booked.status).toBe(201);
    const id = ((await booked.json()) as { reference: string }).reference.split('/')[1];
    const response = await client.get(`/api/care/appointments/${id}/calendar?patient=sofia-rivera`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await response.text();
    const compact = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(ics).toContain(`DTSTART:${compact(slot?.start ?? '')}`);
    expect(ics).toContain(`DTEND:${compact(slot?.end ?? '')}`);
    expect(ics).toContain("SUMMARY:Sofia's appointment");
    expect(ics).not.toMatch(/ADHD|Pediatrics|Shah|well-child/i);
  });

  it("answers 404 for an appointment of another patient, one the person may not see, and one that is not booked", async () => {
    const client = careClient(maria, sandbox, store, 'ca-strict');
    expect((await client.get('/api/care/appointments/mateo-appt-upcoming/calendar?patient=sofia-rivera')).status).toBe(404);
    expect((await client.get('/api/care/appointments/sofia-appt-past/calendar?patient=sofia-rivera')).status).toBe(404);
    // Isabel's teen-clinic visit: maria has no access to Isabel under ca-strict at all.
    expect((await client.get('/api/care/appointments/isabel-appt-teen-clinic/calendar?patient=isabel-rivera')).status).toBe(403);
  });

  it('folds long lines and escapes text', () => {
    const ics = icsCalendar([{ uid: 'a@b', start: '2026-12-10T17:00:00Z', end: undefined, firstName: 'Ana; María, la de "Sprout"', updated: undefined }], {
      name: 'Sprout', summary: (n) => `${n}'s appointment with a rather long summary line that goes on and on`, link: 'https://portal.example/', now: 0,
    });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n /g, '')).toContain("SUMMARY:Ana\\; María\\, la de \"Sprout\"'s appointment with a rather long summary line that goes on and on");
    expect(ics).toContain('DTEND:20261210T173000Z');
  });
});
