/**
 * How the gateway learns of new clinician messages: it polls the EHR for Communications updated since a watermark
 * kept in the store (`_lastUpdated`), with a system token (backend-token.ts), and queues one "new message" email per
 * family recipient (notify.ts: their choice, their language, exactly once per message and person). The sandbox EHR
 * offers no FHIR Subscription, so polling is the mechanism here; one replica polls at a time (a store lease), and the
 * outbox's dedupe key keeps it to one email even if two ever did.
 *
 * A recipient RelatedPerson that a Person links to (a parent with one login for several children) is notified as
 * that Person — their preference and their address. A reply confidential to the patient is addressed to the patient,
 * so only the patient is emailed. The email says only that there is a message.
 */
import type { Bundle, CodeableConcept, Communication, ContactPoint, Patient, Person, RelatedPerson } from 'fhir/r4';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { Store } from '../store/types.ts';
import { notifyPerson } from './notify.ts';

export const POLLER_LEASE = 'message-poller';
export const WATERMARK = 'message-poller:lastUpdated';
const MAX_PAGES = 20;

export interface MessagePollerDeps {
  readonly store: Store;
  readonly upstream: FhirUpstream;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The portal's public URL: the email's link. */
  readonly publicUrl: string;
  readonly owner: string;
  readonly leaseMs: number;
}

const FAMILY = /^(RelatedPerson|Patient|Person)\/[A-Za-z0-9.-]{1,64}$/;
const CLINICIAN = /^(Practitioner|PractitionerRole)\//;

const emailOf = (telecom: readonly ContactPoint[] | undefined): string | undefined => telecom?.find((t) => t.system === 'email' && t.value !== undefined)?.value;
const languageOf = (resource: Patient | Person | RelatedPerson | undefined): string | undefined => {
  const communication = (resource as { communication?: readonly { language?: CodeableConcept; preferred?: boolean }[] } | undefined)?.communication;
  const code = communication?.find((c) => c.preferred)?.language?.coding?.[0]?.code ?? communication?.[0]?.language?.coding?.[0]?.code;
  return code?.toLowerCase().startsWith('es') ? 'es' : code === undefined ? undefined : 'en';
};

export function createMessagePoller(deps: MessagePollerDeps) {
  const { store, upstream, clock } = deps;

  async function read<T>(reference: string): Promise<T | undefined> {
    const result = await upstream.getJson(reference);
    return result.ok ? (result.resource as T) : undefined;
  }

  /** The person to notify for a recipient reference, with their address and language. */
  async function personFor(recipient: string): Promise<{ person: string; email?: string; language?: string } | undefined> {
    const [type] = recipient.split('/');
    if (type === 'RelatedPerson') {
      const linked = await upstream.getJson(`Person?link=${encodeURIComponent(recipient)}&_count=2`);
      const person = linked.ok ? ((linked.resource as Bundle).entry ?? []).map((e) => e.resource as Person).find((p) => p?.resourceType === 'Person') : undefined;
      if (person?.id !== undefined) return { person: `Person/${person.id}`, ...opt('email', emailOf(person.telecom)), ...opt('language', languageOf(person)) };
    }
    const resource = await read<Patient | Person | RelatedPerson>(recipient);
    if (resource === undefined) return undefined;
    return { person: recipient, ...opt('email', emailOf(resource.telecom)), ...opt('language', languageOf(resource)) };
  }

  return {
    /** One poll: new clinician messages since the watermark → queued emails. Returns how many were queued. */
    async runOnce(): Promise<number> {
      const now = clock.now();
      if (!(await store.coordination.acquireLease(POLLER_LEASE, deps.owner, now, deps.leaseMs))) return 0;
      // The first poll starts now: history is not announced.
      const since = (await store.coordination.getWatermark(WATERMARK)) ?? new Date(now).toISOString();
      let next: string | undefined = `Communication?_lastUpdated=gt${encodeURIComponent(since)}&_sort=_lastUpdated&_count=100`;
      let newest = since;
      let queued = 0;
      for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
        const result = await upstream.getJson(next);
        if (!result.ok || result.resource.resourceType !== 'Bundle') throw new Error(`Communication poll answered ${result.status}`);
        const bundle = result.resource as Bundle;
        for (const entry of bundle.entry ?? []) {
          const communication = entry.resource as Communication | undefined;
          if (communication?.resourceType !== 'Communication' || communication.id === undefined) continue;
          const updated = communication.meta?.lastUpdated;
          if (updated !== undefined && updated > newest) newest = updated;
          if (communication.status !== 'completed' || !CLINICIAN.test(communication.sender?.reference ?? '')) continue;
          for (const recipient of communication.recipient ?? []) {
            const reference = recipient.reference;
            if (reference === undefined || !FAMILY.test(reference)) continue;
            const target = await personFor(reference);
            if (target === undefined) continue;
            const outcome = await notifyPerson(
              { outbox: store.outbox, preferences: store.notificationPreferences, clock },
              {
                person: target.person,
                email: target.email,
                dedupeKey: `new-message:Communication/${communication.id}:${target.person}`,
                template: 'new-message',
                params: { link: `${deps.publicUrl}/messages` },
                ...opt('language', target.language),
              },
            );
            if (outcome === 'queued') queued += 1;
          }
        }
        next = bundle.link?.find((l) => l.relation === 'next')?.url;
        if ((bundle.entry ?? []).length === 0) next = undefined;
      }
      if (newest !== since) await store.coordination.setWatermark(WATERMARK, newest, clock.now());
      else if ((await store.coordination.getWatermark(WATERMARK)) === undefined) await store.coordination.setWatermark(WATERMARK, since, clock.now());
      return queued;
    },
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
