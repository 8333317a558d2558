/**
 * Opens the portal's port on 127.0.0.1: `node gateway/src/server.ts` (settings from the environment, see config.ts),
 * or `startGateway(...)` from scripts and end-to-end tests. Also the process-level chores createApp must not do:
 * opening the store (migrations), loading the policy profile, and sweeping expired sessions once a minute.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { systemClock, type Clock } from './http/clock.ts';
import { createLogger, type Logger } from './http/logger.ts';
import { BUILTIN_PROFILES, parseProfile, type HospitalProfile } from './policy/index.ts';
import { sessionLimits } from './session/lifetime.ts';
import { createRevokeEnded } from './session/revoke-ended.ts';
import { createBackgroundRevocation } from './session/background-revocation.ts';
import { sweepSessions } from './session/sweep.ts';
import { createSmartClient } from './smart/client.ts';
import { openStore } from './store/index.ts';
import { startAuditRetention } from './store/retention.ts';
import { startNotifications } from './notify/start.ts';

const SWEEP_INTERVAL_MS = 60_000;

/** POLICY_PROFILE: a built-in profile id, or a path to a profile JSON file (validated; bad files stop the start). */
export function loadProfile(spec: string): HospitalProfile {
  if (Object.hasOwn(BUILTIN_PROFILES, spec)) return BUILTIN_PROFILES[spec as keyof typeof BUILTIN_PROFILES];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, 'utf8'));
  } catch (cause) {
    throw new ConfigError(
      `POLICY_PROFILE "${spec}" is neither a built-in profile (${Object.keys(BUILTIN_PROFILES).join(', ')}) nor a readable JSON file: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  return parseProfile(json);
}

export interface RunningGateway {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGateway(options: {
  readonly config: Config;
  readonly fetch?: typeof globalThis.fetch;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly staticRoot?: string;
}): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const profile = loadProfile(config.policyProfile);
  const store = await openStore(config);
  // The sweep revokes what it removes (session/sweep.ts); ends found on a request revoke in the background, and
  // close() waits for those to settle. Pre-sign-in sessions live PENDING_SESSION_MS (10 minutes).
  const revokeEnded = createRevokeEnded({ smart: createSmartClient({ config, fetch: options.fetch ?? globalThis.fetch, clock }), logger });
  const revocation = createBackgroundRevocation({ revokeEnded, logger });
  const app = createApp({
    config,
    store,
    clock,
    fetch: options.fetch ?? globalThis.fetch,
    profile,
    logger,
    revocation,
    ...(options.staticRoot === undefined ? {} : { staticRoot: options.staticRoot }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const limits = sessionLimits(config);
  const sweep = setInterval(() => {
    sweepSessions({ store, limits, revokeEnded, logger }, clock.now())
      .catch((error: unknown) => logger.error('session sweep failed', { error: error instanceof Error ? error.message : String(error) }));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  const stopAuditRetention = startAuditRetention({ trail: store.auditTrail, retentionDays: config.auditRetentionDays, clock, logger });
  // Notification email: the outbox is drained by every replica (rows are leased, never shared); without SMTP_URL it waits.
  const stopNotifications = startNotifications({ config, store, clock, logger, fetch: options.fetch ?? globalThis.fetch });
  logger.info('gateway listening', { url: `http://127.0.0.1:${port}`, publicUrl: config.publicUrl, profile: profile.id, openServerMode: config.openServerMode });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      clearInterval(sweep);
      stopAuditRetention();
      await stopNotifications();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await revocation.settled();
      await store.close();
    },
  };
}

if (import.meta.main) {
  try {
    const gateway = await startGateway({ config: loadConfig() });
    const stop = () => void gateway.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
