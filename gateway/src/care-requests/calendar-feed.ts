/**
 * One private, revocable calendar feed per family (issue 12): a URL a calendar app subscribes to, listing the booked
 * upcoming appointments of every patient the person may see — time, first name and a link only (calendar.ts), no
 * diagnosis, reason, clinic or clinician.
 *
 * The URL is `/calendar/<feed id>.<secret>.ics`; the store keeps, per feed id, the person and a SHA-256 of the
 * secret (never the secret), in the named-value table (`store.coordination` watermarks, `calendar-feed:*`). Making a
 * new URL revokes the old one; revoking leaves none. A calendar app has no session, so the feed reads the EHR with the
 * portal's system token and decides with the same policy core as a signed-in request, as that person: whatever they
 * could no longer see (a 12th birthday, a revoked grant) leaves the feed at once. Unknown, revoked and malformed
 * URLs all get the same 404.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Appointment } from 'fhir/r4';
import type { Config } from '../config.ts';
import { operationOutcome } from '../errors.ts';
import { createFetchUpstream } from '../fhir/fetch-upstream.ts';
import { createRequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import { createBackendTokenSource } from '../notify/backend-token.ts';
import type { HospitalProfile } from '../policy/profile.ts';
import { principalFromFhirUser } from '../smart/fhir-user.ts';
import type { Store } from '../store/types.ts';
import { calendarEventOf, icsCalendar, type CalendarEvent } from './calendar.ts';
import { searchAll, visibleOf } from './care-reads.ts';

const FEED_KEY = (feedId: string) => `calendar-feed:${feedId}`;
const PERSON_KEY = (fhirUser: string) => `calendar-feed-of:${createHash('sha256').update(fhirUser).digest('base64url')}`;
const FEED_NAME = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{32,128})\.ics$/;
/** What judging an appointment may need to read (the patient's facts and what an appointment points at). */
export const FEED_SCOPES = 'system/*.rs';

interface FeedRecord {
  readonly fhirUser: string;
  readonly secretHash: string;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export interface CalendarFeeds {
  /** A new feed for the person (revoking any earlier one); the path to subscribe to. */
  create(fhirUser: string): Promise<string>;
  revoke(fhirUser: string): Promise<void>;
  /** Whether the person has a feed now (its URL is not recoverable: only its existence). */
  exists(fhirUser: string): Promise<boolean>;
  /** The person a feed path belongs to, or undefined (unknown, revoked, malformed, wrong secret). */
  resolve(name: string): Promise<string | undefined>;
}

export function createCalendarFeeds(store: Store, clock: Clock): CalendarFeeds {
  const coordination = store.coordination;
  async function revoke(fhirUser: string): Promise<void> {
    const current = await coordination.getWatermark(PERSON_KEY(fhirUser));
    if (current !== undefined && current !== '') await coordination.setWatermark(FEED_KEY(current), 'revoked', clock.now());
    await coordination.setWatermark(PERSON_KEY(fhirUser), '', clock.now());
  }
  return {
    async create(fhirUser) {
      await revoke(fhirUser);
      const feedId = randomBytes(16).toString('base64url');
      const secret = randomBytes(32).toString('base64url');
      const record: FeedRecord = { fhirUser, secretHash: hash(secret) };
      await coordination.setWatermark(FEED_KEY(feedId), JSON.stringify(record), clock.now());
      await coordination.setWatermark(PERSON_KEY(fhirUser), feedId, clock.now());
      return `/calendar/${feedId}.${secret}.ics`;
    },
    revoke,
    async exists(fhirUser) {
      const current = await coordination.getWatermark(PERSON_KEY(fhirUser));
      return current !== undefined && current !== '';
    },
    async resolve(name) {
      const match = FEED_NAME.exec(name);
      if (match === null) return undefined;
      const stored = await coordination.getWatermark(FEED_KEY(match[1] ?? ''));
      if (stored === undefined || stored === 'revoked') return undefined;
      let record: FeedRecord;
      try {
        record = JSON.parse(stored) as FeedRecord;
      } catch {
        return undefined;
      }
      const given = Buffer.from(hash(match[2] ?? ''));
      const expected = Buffer.from(record.secretHash);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      // Only the person's current feed counts (a rotated one is revoked above; this guards a lost write).
      return (await coordination.getWatermark(PERSON_KEY(record.fhirUser))) === match[1] ? record.fhirUser : undefined;
    },
  };
}

/** The feed's events: booked, upcoming appointments of every patient the person may see, judged as that person. */
export async function feedEvents(options: { upstream: FhirUpstream; fhirUser: string; fhirBaseUrl: string; profile: HospitalProfile; now: number; host: string }): Promise<CalendarEvent[]> {
  const principal = principalFromFhirUser(options.fhirUser, options.fhirBaseUrl, []);
  if (principal === undefined || principal.kind === 'Practitioner') return [];
  const policy = createRequestPolicy({ upstream: options.upstream, principal, profile: options.profile, asOf: new Date(options.now) });
  const events: CalendarEvent[] = [];
  for (const access of await policy.permittedPatients()) {
    const id = access.patient.id;
    if (id === undefined) continue;
    const patient = `Patient/${id}`;
    const since = new Date(options.now - 86_400_000).toISOString();
    const booked = await searchAll<Appointment>(options.upstream, `Appointment?patient=${encodeURIComponent(patient)}&status=booked&date=ge${encodeURIComponent(since)}&_count=100`);
    const firstName = access.patient.name?.[0]?.given?.[0] ?? '';
    for (const appointment of await visibleOf(policy, booked, patient)) {
      const event = calendarEventOf(appointment, firstName, options.host);
      if (event !== undefined) events.push(event);
    }
  }
  return events.sort((a, b) => a.start.localeCompare(b.start));
}

/** GET /calendar/:name — public (calendar apps have no session); the secret in the URL is the credential. */
export function createCalendarFeedRoute(deps: { config: Config; store: Store; clock: Clock; profile: HospitalProfile; logger: Logger; fetch: typeof globalThis.fetch; upstream?: FhirUpstream }): Hono<GatewayEnv> {
  const { config, store, clock, profile, logger } = deps;
  const feeds = createCalendarFeeds(store, clock);
  const token = config.openServerMode ? undefined : createBackendTokenSource({ config, fetch: deps.fetch, clock, scopes: FEED_SCOPES });
  const upstream = deps.upstream ?? createFetchUpstream({
    baseUrl: config.fhirBaseUrl, ...(token === undefined ? {} : { getAccessToken: token }), fetch: deps.fetch, timeoutMs: 15_000, maxBytes: 16 * 1024 * 1024, retries: 1,
  });
  const routes = new Hono<GatewayEnv>();
  routes.get('/:name', async (c) => {
    const fhirUser = await feeds.resolve(c.req.param('name'));
    if (fhirUser === undefined) return c.json(operationOutcome('not-found', 'Not found.'), 404, { 'Cache-Control': 'no-store' });
    try {
      const events = await feedEvents({ upstream, fhirUser, fhirBaseUrl: config.fhirBaseUrl, profile, now: clock.now(), host: new URL(config.publicUrl).hostname });
      await store.audit.append({
        id: randomUUID(), recorded: new Date(clock.now()).toISOString(), requestId: c.get('requestId'), actor: fhirUser, action: 'calendar-feed:read',
        query: 'GET /calendar/…', outcome: 'allowed', returned: events.map((e) => e.uid), withheld: [], reasons: ['calendar-feed'],
      });
      const body = icsCalendar(events, { name: 'Sprout', summary: (name) => `${name}: appointment`, link: `${config.publicUrl}/`, now: clock.now() });
      return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
    } catch (error) {
      logger.warn('calendar feed failed', { error: error instanceof Error ? error.message : String(error) });
      return c.json(operationOutcome('exception', 'Try again later.'), 503, { 'Cache-Control': 'no-store', 'Retry-After': '300' });
    }
  });
  return routes;
}
