/**
 * Queue a notification email for one person, honouring their choice: email is on unless they turned it off, and in
 * the language they chose (else the one given, else English). Queued once per dedupeKey however often it is asked
 * — by retries, by two replicas seeing the same event — so each event yields at most one email per person.
 */
import type { Clock } from '../http/clock.ts';
import type { NotificationPreferenceRepository, OutboxRepository } from '../store/action-types.ts';
import { EMAIL_TEMPLATES } from './templates.ts';

export interface NotifyRequest {
  /** The person's FHIR reference ("RelatedPerson/…"); their preference is keyed by it. */
  readonly person: string;
  /** The person's email address from the EHR (telecom), if any. */
  readonly email: string | undefined;
  /** Unique per (event, person). */
  readonly dedupeKey: string;
  readonly template: keyof typeof EMAIL_TEMPLATES & string;
  readonly params: Readonly<Record<string, string>>;
  /** Fallback language when the person never chose one (e.g. from Patient.communication). */
  readonly language?: string;
}

export type NotifyOutcome = 'queued' | 'duplicate' | 'opted-out' | 'no-address';

/** A plausible single mailbox: one @, no spaces or angle brackets, no header-breaking characters. */
export function isDeliverableAddress(address: string): boolean {
  return address.length <= 254 && /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(address);
}

export async function notifyPerson(
  deps: { readonly outbox: OutboxRepository; readonly preferences: NotificationPreferenceRepository; readonly clock: Clock },
  request: NotifyRequest,
): Promise<NotifyOutcome> {
  const preference = await deps.preferences.get(request.person);
  if (preference?.emailEnabled === false) return 'opted-out';
  const address = request.email?.trim();
  if (address === undefined || !isDeliverableAddress(address)) return 'no-address';
  const language = preference?.language ?? (request.language === 'es' ? 'es' : 'en');
  const queued = await deps.outbox.enqueue(
    { dedupeKey: request.dedupeKey, recipient: request.person, to: address, language, template: request.template, params: request.params },
    deps.clock.now(),
  );
  return queued ? 'queued' : 'duplicate';
}
