/**
 * Care-request email (gateway/src/care-requests/care-notifier.ts) on the real sandbox and store: an answered request
 * queues one "request-update" email for its requester (as the Person who signs in), once however often the poller
 * runs; a booked appointment within a day queues one reminder; a person who turned email off gets none; a teen's own
 * request emails only the teen, never a parent. Emails carry no health information (only the template and a link).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCareNotifier } from '../../../gateway/src/care-requests/care-notifier.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { EhrClient } from '../actions/support/ehr-client.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, windowIn } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
let isabel: SignedInUser;
let shah: EhrClient;
let poller: ReturnType<typeof createCareNotifier>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  isabel = await signInToSandbox(sandbox, 'isabel');
  // The poller reads as the EHR lets a clinician (the portal's system token in production).
  const clinician = await signInToSandbox(sandbox, 'dr.shah');
  shah = new EhrClient(sandbox.url);
  await shah.signIn('dr.shah', sandbox.password);
  poller = createCareNotifier({ store, upstream: clinician.upstream(), clock: { now: () => Date.now() }, logger: createLogger('silent'), publicUrl: 'https://portal.example', owner: 'test', leaseMs: 1 });
  await poller.runOnce(); // the first poll only sets the watermark: history is not announced
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

async function requestAppointment(user: SignedInUser, patientId: string, profile: 'ca-strict' | 'ca-adolescent-split', details: string): Promise<string> {
  const response = await careClient(user, sandbox, store, profile).post('/api/care/appointment-requests', {
    patientId, reason: 'other', details, with: patientId === 'isabel-rivera' ? 'Practitioner/marcus-lee' : 'Practitioner/priya-shah', windows: [windowIn(2)], phone: '714-555-0142',
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference.split('/')[1] ?? '';
}

const emailsFor = async (prefix: string) => (await store.outbox.list({ limit: 500 })).filter((e) => e.dedupeKey.startsWith(prefix));

describe('care-request email', () => {
  it('emails the requester once when the clinic books, and once more a day before', async () => {
    const id = await requestAppointment(maria, 'sofia-rivera', 'ca-strict', 'rash on arms');
    const soon = new Date(Date.now() + 3 * 3_600_000).toISOString();
    expect((await shah.request(`/ehr/care-requests/appointment/${id}/book`, { csrf: shah.csrf, start: soon, minutes: '30' })).status).toBe(303);
    await poller.runOnce();
    await poller.runOnce();
    const answered = await emailsFor(`request-update:Appointment/${id}:`);
    expect(answered.map((e) => [e.recipient, e.to, e.template, e.params])).toEqual([
      ['Person/maria-rivera', 'maria.rivera@example.org', 'request-update', { link: 'https://portal.example/' }],
    ]);
    const reminders = await emailsFor(`appointment-reminder:Appointment/${id}:`);
    expect(reminders.map((e) => [e.recipient, e.template])).toEqual([['Person/maria-rivera', 'appointment-reminder']]);
    // No health information: nothing but the link.
    expect(JSON.stringify([...answered, ...reminders])).not.toMatch(/rash|Sofia|Shah|Pediatrics/);
  });

  it('sends nothing to a person who turned email off', async () => {
    await store.notificationPreferences.put({ person: 'Person/maria-rivera', emailEnabled: false, language: 'en', updatedAt: Date.now() });
    try {
      const id = await requestAppointment(maria, 'sofia-rivera', 'ca-strict', 'sore throat');
      expect((await shah.request(`/ehr/care-requests/appointment/${id}/decline`, { csrf: shah.csrf, reason: 'Please come to walk-in hours.' })).status).toBe(303);
      await poller.runOnce();
      expect(await emailsFor(`request-update:Appointment/${id}:`)).toEqual([]);
    } finally {
      await store.notificationPreferences.put({ person: 'Person/maria-rivera', emailEnabled: true, language: 'en', updatedAt: Date.now() });
    }
  });

  it("emails a teen's answer to the teen only, never a parent", async () => {
    const id = await requestAppointment(isabel, 'isabel-rivera', 'ca-adolescent-split', 'private question');
    expect((await shah.request(`/ehr/care-requests/appointment/${id}/decline`, { csrf: shah.csrf, reason: 'Please call the teen clinic.' })).status).toBe(303);
    await poller.runOnce();
    const sent = await emailsFor(`request-update:Appointment/${id}:`);
    expect(sent.map((e) => e.recipient)).toEqual(['Patient/isabel-rivera']);
    const all = await store.outbox.list({ limit: 500 });
    expect(all.filter((e) => e.dedupeKey.includes(`Appointment/${id}`) && e.recipient !== 'Patient/isabel-rivera')).toEqual([]);
  });
});
