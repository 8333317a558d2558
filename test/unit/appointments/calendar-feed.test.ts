/**
 * The family's private calendar feed: a secret URL lists the booked upcoming appointments of every patient the person
 * may see (time and first name; no reason), decided by the policy as that person; making a new URL revokes the old
 * one, revoking leaves none, and unknown, malformed or wrong-secret URLs are the same 404. A teen's own booking is in
 * the teen's feed and never in a parent's.
 */
import type { Slot } from 'fhir/r4';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarFeedRoute, createCalendarFeeds } from '../../../gateway/src/care-requests/calendar-feed.ts';
import type { Config } from '../../../gateway/src/config.ts';
import type { GatewayEnv } from '../../../gateway/src/http/context.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';
import { careClient, ehrSearch } from './support.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
let isabel: SignedInUser;
let reader: SignedInUser;
const clock = { now: () => Date.now() };

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  isabel = await signInToSandbox(sandbox, 'isabel');
  // Reads as the EHR lets a clinician (the portal's system token in production).
  reader = await signInToSandbox(sandbox, 'dr.shah');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

function feedApp(profile: keyof typeof BUILTIN_PROFILES) {
  const config = { fhirBaseUrl: sandbox.fhirBaseUrl, publicUrl: 'https://portal.example', openServerMode: true } as Config;
  const app = new Hono<GatewayEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', 'req-feed');
    await next();
  });
  app.route('/calendar', createCalendarFeedRoute({ config, store, clock, profile: BUILTIN_PROFILES[profile], logger: createLogger('silent'), fetch: globalThis.fetch, upstream: reader.upstream() }));
  return app;
}

async function book(user: SignedInUser, patientId: string, profile: 'ca-strict' | 'ca-adolescent-split', details: string): Promise<string> {
  const slots = await ehrSearch<Slot>(user, 'Slot?status=free&schedule=Schedule/general-pediatrics-shah&_count=100');
  const response = await careClient(user, sandbox, store, profile).post('/api/care/bookings', { patientId, slotId: slots[0]?.id, visitType: 'follow-up', details });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference.split('/')[1] ?? '';
}

describe('the family calendar feed', () => {
  it("lists the family's booked appointments without reasons; rotating and revoking end the old URL", async () => {
    const sofias = await book(maria, 'sofia-rivera', 'ca-strict', 'private reason text');
    const feeds = createCalendarFeeds(store, clock);
    const first = await feeds.create(maria.principal.fhirUser);
    const app = feedApp('ca-strict');
    const response = await app.request(first);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await response.text();
    expect(ics).toContain(`UID:appointment-${sofias}@portal.example`);
    expect(ics).toContain('SUMMARY:Sofia: appointment');
    expect(ics).not.toMatch(/private reason|Pediatrics|Shah|Isabel/);

    const second = await feeds.create(maria.principal.fhirUser);
    expect((await app.request(first)).status).toBe(404);
    expect((await app.request(second)).status).toBe(200);
    const [id, secret] = second.slice('/calendar/'.length, -'.ics'.length).split('.');
    expect((await app.request(`/calendar/${id}.${'A'.repeat(secret?.length ?? 43)}.ics`)).status).toBe(404);
    expect((await app.request('/calendar/nonsense')).status).toBe(404);
    await feeds.revoke(maria.principal.fhirUser);
    expect(await feeds.exists(maria.principal.fhirUser)).toBe(false);
    expect((await app.request(second)).status).toBe(404);
  });

  it("keeps a teen's own booking out of a parent's feed and in the teen's", async () => {
    const own = await book(isabel, 'isabel-rivera', 'ca-adolescent-split', 'teen visit');
    const feeds = createCalendarFeeds(store, clock);
    const app = feedApp('ca-adolescent-split');
    const parent = await (await app.request(await feeds.create(maria.principal.fhirUser))).text();
    const teen = await (await app.request(await feeds.create(isabel.principal.fhirUser))).text();
    expect(teen).toContain(`UID:appointment-${own}@`);
    expect(parent).toContain('BEGIN:VCALENDAR');
    expect(parent).not.toContain(own);
  });
});
