/**
 * Email about care requests, through the shared notifier (notify/notify.ts: the person's choice and language, once
 * per dedupe key): "your request was answered" when the clinic books or declines a requested appointment or
 * completes/declines a Task, and "you have an appointment tomorrow" a day before a booked appointment.
 *
 * Who is emailed: only the people Sprout put on the request as its requester — an Appointment participant with
 * `required: information-only` (care-fhir.ts requesterOf), a Task's `requester`. Never the patient's other relatives:
 * a teen's own request names only the teen, so no guardian ever hears of it. A RelatedPerson that a Person links to is
 * emailed as that Person (one login for several children). The emails carry no health information (templates.ts).
 *
 * Like the message poller, it polls with the portal's system token (`_lastUpdated` past a watermark; a store lease
 * lets one replica poll at a time).
 */
import type { Appointment, Bundle, ContactPoint, Patient, Person, RelatedPerson, Task } from 'fhir/r4';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import { notifyPerson } from '../notify/notify.ts';
import type { Store } from '../store/types.ts';
import { CARE_REQUEST_SYSTEM } from './care-fhir.ts';

export const CARE_POLLER_LEASE = 'care-poller';
export const CARE_WATERMARK = 'care-poller:lastUpdated';
/** A reminder is sent once the appointment is at most this far away. */
export const REMINDER_AHEAD_MS = 24 * 60 * 60_000;
const MAX_PAGES = 20;
const FAMILY = /^(RelatedPerson|Patient|Person)\/[A-Za-z0-9.-]{1,64}$/;

export interface CareNotifierDeps {
  readonly store: Store;
  readonly upstream: FhirUpstream;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly owner: string;
  readonly leaseMs: number;
}

const careCode = (codings: readonly { system?: string; code?: string }[] | undefined) => codings?.find((k) => k.system === CARE_REQUEST_SYSTEM)?.code;
const emailOf = (telecom: readonly ContactPoint[] | undefined) => telecom?.find((t) => t.system === 'email' && t.value !== undefined)?.value;
const languageOf = (resource: Patient | Person | RelatedPerson | undefined): string | undefined => {
  const communication = (resource as { communication?: Patient['communication'] } | undefined)?.communication;
  const code = communication?.find((c) => c.preferred)?.language?.coding?.[0]?.code ?? communication?.[0]?.language?.coding?.[0]?.code;
  return code === undefined ? undefined : code.toLowerCase().startsWith('es') ? 'es' : 'en';
};

/** The requesters Sprout wrote on an appointment. */
export function appointmentRequesters(appointment: Appointment): string[] {
  return (appointment.participant ?? [])
    .filter((p) => p.required === 'information-only')
    .map((p) => p.actor?.reference ?? '')
    .filter((r) => FAMILY.test(r));
}

/** Whether an appointment or task is an answered Sprout request, and the answer's name (for the dedupe key). */
export function answerOf(resource: Appointment | Task): string | undefined {
  if (resource.resourceType === 'Appointment') {
    const code = careCode(resource.serviceCategory?.flatMap((c) => c.coding ?? []));
    if (code !== 'appointment-request') return undefined;
    return resource.status === 'booked' || resource.status === 'cancelled' ? resource.status : undefined;
  }
  if (careCode(resource.code?.coding) === undefined) return undefined;
  return resource.status === 'completed' || resource.status === 'rejected' ? resource.status : undefined;
}

export function createCareNotifier(deps: CareNotifierDeps) {
  const { store, upstream, clock } = deps;

  async function personFor(reference: string): Promise<{ person: string; email?: string; language?: string } | undefined> {
    if (reference.startsWith('RelatedPerson/')) {
      const linked = await upstream.getJson(`Person?link=${encodeURIComponent(reference)}&_count=2`);
      const person = linked.ok ? ((linked.resource as Bundle).entry ?? []).map((e) => e.resource as Person).find((p) => p?.resourceType === 'Person') : undefined;
      if (person?.id !== undefined) return withOptional(`Person/${person.id}`, emailOf(person.telecom), languageOf(person));
    }
    const result = await upstream.getJson(reference);
    if (!result.ok) return undefined;
    const resource = result.resource as Patient | Person | RelatedPerson;
    return withOptional(reference, emailOf(resource.telecom), languageOf(resource));
  }

  async function notify(recipients: readonly string[], event: string, template: 'request-update' | 'appointment-reminder', link: string): Promise<number> {
    let queued = 0;
    for (const recipient of new Set(recipients)) {
      const target = await personFor(recipient);
      if (target === undefined) continue;
      const outcome = await notifyPerson(
        { outbox: store.outbox, preferences: store.notificationPreferences, clock },
        { person: target.person, email: target.email, dedupeKey: `${event}:${target.person}`, template, params: { link }, ...(target.language === undefined ? {} : { language: target.language }) },
      );
      if (outcome === 'queued') queued += 1;
    }
    return queued;
  }

  async function* search<T>(query: string): AsyncGenerator<T> {
    let next: string | undefined = query;
    for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
      const result = await upstream.getJson(next);
      if (!result.ok || result.resource.resourceType !== 'Bundle') throw new Error(`care poll answered ${result.status}`);
      const bundle = result.resource as Bundle;
      for (const entry of bundle.entry ?? []) if (entry.resource !== undefined && entry.search?.mode !== 'include') yield entry.resource as T;
      next = (bundle.entry ?? []).length === 0 ? undefined : bundle.link?.find((l) => l.relation === 'next')?.url;
    }
  }

  return {
    /** One poll: answered requests since the watermark, and reminders for appointments within a day. Returns emails queued. */
    async runOnce(): Promise<number> {
      const now = clock.now();
      if (!(await store.coordination.acquireLease(CARE_POLLER_LEASE, deps.owner, now, deps.leaseMs))) return 0;
      const since = (await store.coordination.getWatermark(CARE_WATERMARK)) ?? new Date(now).toISOString();
      let newest = since;
      let queued = 0;
      const requestsLink = `${deps.publicUrl}/`;
      for (const type of ['Appointment', 'Task'] as const) {
        for await (const resource of search<Appointment | Task>(`${type}?_lastUpdated=gt${encodeURIComponent(since)}&_sort=_lastUpdated&_count=100`)) {
          const updated = resource.meta?.lastUpdated;
          if (updated !== undefined && updated > newest) newest = updated;
          const answer = answerOf(resource);
          if (answer === undefined || resource.id === undefined) continue;
          const recipients = resource.resourceType === 'Appointment' ? appointmentRequesters(resource) : [resource.requester?.reference ?? ''].filter((r) => FAMILY.test(r));
          queued += await notify(recipients, `request-update:${resource.resourceType}/${resource.id}:${answer}`, 'request-update', requestsLink);
        }
      }
      const windowEnd = new Date(now + REMINDER_AHEAD_MS).toISOString();
      for await (const appointment of search<Appointment>(`Appointment?status=booked&date=gt${encodeURIComponent(new Date(now).toISOString())}&date=le${encodeURIComponent(windowEnd)}&_count=100`)) {
        if (appointment.id === undefined || appointment.start === undefined) continue;
        // Keyed by the start too: a rescheduled appointment gets a new reminder.
        queued += await notify(appointmentRequesters(appointment), `appointment-reminder:Appointment/${appointment.id}:${appointment.start}`, 'appointment-reminder', requestsLink);
      }
      if (newest !== since || (await store.coordination.getWatermark(CARE_WATERMARK)) === undefined) await store.coordination.setWatermark(CARE_WATERMARK, newest, clock.now());
      return queued;
    },
  };
}

function withOptional(person: string, email: string | undefined, language: string | undefined) {
  return { person, ...(email === undefined ? {} : { email }), ...(language === undefined ? {} : { language }) };
}
