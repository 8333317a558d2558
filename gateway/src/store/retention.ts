/**
 * Audit retention (AUDIT_RETENTION_DAYS): once at start and then hourly, records older than the retention period are
 * pruned through AuditTrail.prune, which records the pruning in the chain. Absent setting → nothing is ever pruned.
 * Replicas may all run it: prune takes the audit lock, and a second prune finds nothing left to remove.
 */
import type { Logger } from '../http/logger.ts';
import type { AuditTrail } from './types.ts';

const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

/** The cut-off instant for a retention period: records recorded before it are pruned. */
export function retentionCutoff(now: number, retentionDays: number): string {
  return new Date(now - retentionDays * DAY_MS).toISOString();
}

export async function pruneExpiredAudit(trail: AuditTrail, retentionDays: number, now: number): Promise<number> {
  return trail.prune(retentionCutoff(now, retentionDays), new Date(now).toISOString());
}

/** Start the hourly retention task; returns a stop function. Does nothing when retentionDays is undefined. */
export function startAuditRetention(options: {
  readonly trail: AuditTrail;
  readonly retentionDays: number | undefined;
  readonly clock: { now(): number };
  readonly logger: Logger;
}): () => void {
  const { trail, retentionDays, clock, logger } = options;
  if (retentionDays === undefined) return () => undefined;
  const run = () =>
    void pruneExpiredAudit(trail, retentionDays, clock.now())
      .then((removed) => removed > 0 && logger.info('audit records past retention pruned', { removed, retentionDays }))
      .catch((error: unknown) => logger.error('audit retention failed', { error: error instanceof Error ? error.message : String(error) }));
  run();
  const timer = setInterval(run, RETENTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
