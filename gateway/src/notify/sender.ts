/**
 * The outbox sender: leases due rows (store/sql-outbox.ts: FOR UPDATE SKIP LOCKED, so two replicas never hold one row),
 * renders each in its language, hands it to the mailer, and marks it sent — or schedules a retry with backoff, or gives
 * up after MAX_EMAIL_ATTEMPTS. A lease outlives the SMTP timeout, so a row is never sent by two replicas at once; only
 * a crash between the server's acceptance and markSent can repeat one (the Message-ID is the same both times).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { OutboxItem, OutboxRepository } from '../store/action-types.ts';
import { SMTP_TIMEOUT_MS, type Mailer, type OutgoingEmail } from './mailer.ts';
import { nextAttemptAt } from './retry.ts';
import { renderEmail, TemplateError } from './templates.ts';

export const OUTBOX_LEASE_MS = SMTP_TIMEOUT_MS * 3 + 10_000;
export const OUTBOX_BATCH = 20;
export const OUTBOX_POLL_MS = 2_000;

export interface OutboxSenderOptions {
  readonly outbox: OutboxRepository;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The host part of Message-IDs (the portal's host). */
  readonly messageIdDomain: string;
  /** This replica's name for leases (default: a random id). */
  readonly owner?: string;
  /**
   * Outbox rows of these templates are not notification email: the route composes the message itself (e.g. Direct
   * records to a clinician, records-transfer/direct-delivery.ts), sends it with its own mailer, and hears how it went.
   */
  readonly routes?: Readonly<Record<string, OutboxRoute>>;
}

export interface OutboxRoute {
  readonly mailer: Mailer;
  compose(item: OutboxItem): Promise<Omit<OutgoingEmail, 'messageId'>>;
  /** After each attempt: sent, or failed with the time of the next attempt (undefined: given up). Never throws. */
  settled?(item: OutboxItem, outcome: { readonly sent: true } | { readonly sent: false; readonly error: string; readonly retryAt: number | undefined }): Promise<void>;
}

export interface SendRound {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

export interface OutboxSender {
  /** One round: lease what is due, try each once. */
  runOnce(): Promise<SendRound>;
  /** Rounds every `intervalMs` until the returned stop() (which waits for the round in flight). */
  start(intervalMs?: number): () => Promise<void>;
}

export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { outbox, mailer, clock, logger } = options;
  const owner = options.owner ?? `sender-${randomUUID()}`;

  async function deliver(item: OutboxItem): Promise<'sent' | 'retried' | 'failed'> {
    const route = options.routes?.[item.template];
    try {
      const email = route === undefined ? { ...renderEmail(item.template, item.language, item.params), to: item.to, language: item.language } : await route.compose(item);
      await (route?.mailer ?? mailer).send({ ...email, messageId: `<outbox-${item.id}-${item.dedupeKey.length}@${options.messageIdDomain}>` });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const retryAt = error instanceof TemplateError ? undefined : nextAttemptAt(clock.now(), item.attempts);
      await outbox.markFailed(item.id, owner, reason, retryAt);
      await route?.settled?.(item, { sent: false, error: reason, retryAt });
      logger.warn(retryAt === undefined ? 'email given up' : 'email will be retried', { outboxId: item.id, attempts: item.attempts, error: reason });
      return retryAt === undefined ? 'failed' : 'retried';
    }
    if (!(await outbox.markSent(item.id, owner, clock.now()))) logger.warn('email sent after its lease was lost', { outboxId: item.id });
    await route?.settled?.(item, { sent: true });
    return 'sent';
  }

  async function runOnce(): Promise<SendRound> {
    const items = await outbox.lease(owner, clock.now(), OUTBOX_LEASE_MS, OUTBOX_BATCH);
    const round = { sent: 0, retried: 0, failed: 0 };
    for (const item of items) round[await deliver(item)] += 1;
    return round;
  }

  return {
    runOnce,
    start(intervalMs = OUTBOX_POLL_MS) {
      let stopped = false;
      let inFlight: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        if (stopped) return;
        inFlight = inFlight.then(runOnce).catch((error: unknown) => logger.error('outbox round failed', { error: error instanceof Error ? error.message : String(error) }));
      }, intervalMs);
      timer.unref();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await inFlight;
      };
    },
  };
}
