/**
 * The process-level notification chores (started by server.ts, never by createApp): the outbox sender over SMTP_URL,
 * and pruning of old idempotency records. Without SMTP_URL the outbox keeps its rows until a server is configured.
 */
import type { Config } from '../config.ts';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { Store } from '../store/types.ts';
import { createSmtpMailer } from './mailer.ts';
import { createOutboxSender } from './sender.ts';

/** Finished idempotency records are kept a day: long enough for any retry a browser makes. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;
const PRUNE_INTERVAL_MS = 60 * 60_000;

export function startNotifications(deps: {
  readonly config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
}): () => Promise<void> {
  const { config, store, clock, logger } = deps;
  const prune = setInterval(() => {
    store.idempotency.prune(clock.now() - IDEMPOTENCY_RETENTION_MS).catch((error: unknown) =>
      logger.error('idempotency pruning failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  }, PRUNE_INTERVAL_MS);
  prune.unref();
  if (config.smtpUrl === undefined) {
    logger.warn('SMTP_URL is not set: notification email stays queued in the outbox');
    return async () => clearInterval(prune);
  }
  const mailer = createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const stopSender = createOutboxSender({ outbox: store.outbox, mailer, clock, logger, messageIdDomain: new URL(config.publicUrl).hostname }).start();
  return async () => {
    clearInterval(prune);
    await stopSender();
    mailer.close();
  };
}
