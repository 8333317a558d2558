/**
 * The process-level notification chores (started by server.ts, never by createApp): the outbox sender over SMTP_URL,
 * and pruning of old idempotency records. Without SMTP_URL the outbox keeps its rows until a server is configured.
 */
import type { Config } from '../config.ts';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { Store } from '../store/types.ts';
import { randomUUID } from 'node:crypto';
import { createFetchUpstream } from '../fhir/fetch-upstream.ts';
import { createBackendTokenSource } from './backend-token.ts';
import { createSmtpMailer } from './mailer.ts';
import { createMessagePoller } from './message-poller.ts';
import { createOutboxSender } from './sender.ts';
import { createDirectRoute } from '../records-transfer/direct-delivery.ts';
import { DIRECT_TEMPLATE } from '../records-transfer/transfer-records.ts';
import { createCareNotifier } from '../care-requests/care-notifier.ts';

/** How often the EHR is asked for new clinician messages. */
export const MESSAGE_POLL_MS = 10_000;

/** Finished idempotency records are kept a day: long enough for any retry a browser makes. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;
const PRUNE_INTERVAL_MS = 60 * 60_000;

export function startNotifications(deps: {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  readonly pollIntervalMs?: number;
}): () => Promise<void> {
  const { config, store, clock, logger } = deps;
  const stopPoller = startMessagePoller(deps);
  const prune = setInterval(() => {
    store.idempotency.prune(clock.now() - IDEMPOTENCY_RETENTION_MS).catch((error: unknown) =>
      logger.error('idempotency pruning failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  }, PRUNE_INTERVAL_MS);
  prune.unref();
  if (config.smtpUrl === undefined) {
    logger.warn('SMTP_URL is not set: notification email stays queued in the outbox');
    return async () => {
      clearInterval(prune);
      await stopPoller();
    };
  }
  const mailer = createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  // Records sent to other physicians leave through the same outbox, over the Direct HISP (records-transfer/).
  const direct = createDirectRoute({ store, clock, logger, smtpUrl: config.directSmtpUrl ?? config.smtpUrl, from: config.directFrom });
  const stopSender = createOutboxSender({ outbox: store.outbox, mailer, clock, logger, messageIdDomain: new URL(config.publicUrl).hostname, routes: { [DIRECT_TEMPLATE]: direct } }).start();
  return async () => {
    clearInterval(prune);
    await stopPoller();
    await stopSender();
    mailer.close();
    direct.close();
  };
}

/**
 * Polls the EHR for new clinician messages with a system token (client_credentials; none in open-server mode).
 * Every replica runs it; a store lease lets one poll at a time.
 */
function startMessagePoller(deps: {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  readonly pollIntervalMs?: number;
}): () => Promise<void> {
  const { config, logger } = deps;
  const intervalMs = deps.pollIntervalMs ?? MESSAGE_POLL_MS;
  const token = config.openServerMode ? undefined : createBackendTokenSource({ config, fetch: deps.fetch, clock: deps.clock });
  const upstream = createFetchUpstream({
    baseUrl: config.fhirBaseUrl,
    ...(token === undefined ? {} : { getAccessToken: token }),
    fetch: deps.fetch,
    timeoutMs: 15_000,
    maxBytes: 16 * 1024 * 1024,
    retries: 1,
  });
  const poller = createMessagePoller({ store: deps.store, upstream, clock: deps.clock, logger, publicUrl: config.publicUrl, owner: `poller-${randomUUID()}`, leaseMs: intervalMs * 3 });
  // Answered care requests and appointment reminders (issue 12), on the same schedule and token.
  const carePoller = createCareNotifier({ store: deps.store, upstream, clock: deps.clock, logger, publicUrl: config.publicUrl, owner: `care-poller-${randomUUID()}`, leaseMs: intervalMs * 3 });
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  const poll = () => {
    if (stopped) return;
    inFlight = inFlight
      .then(() => poller.runOnce())
      .catch((error: unknown) => logger.warn('message poll failed', { error: error instanceof Error ? error.message : String(error) }))
      .then(() => carePoller.runOnce())
      .catch((error: unknown) => logger.warn('care request poll failed', { error: error instanceof Error ? error.message : String(error) }));
  };
  // The first poll runs at start-up: it sets the watermark (history is not announced), so everything written after
  // the gateway started is announced — not only what comes after the first interval has passed.
  poll();
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await inFlight;
  };
}
