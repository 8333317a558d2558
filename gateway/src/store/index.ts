/** Opens the configured store: PostgreSQL when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
import { join } from 'node:path';
import { ConfigError, isLoopbackUrl, type Config, type StoreConfig } from '../config.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import { ephemeralSessionKeys, type SessionKey } from './seal.ts';
import type { Store } from './types.ts';

/**
 * The session key ring: SESSION_ENCRYPTION_KEYS, or — on a loopback PUBLIC_URL only (development, end-to-end tests) —
 * a per-process key, so sessions end with the process. Anywhere else a missing key stops the start.
 */
export function sessionKeysFor(config: Pick<Config, 'sessionEncryptionKeys' | 'publicUrl'>): readonly SessionKey[] {
  if (config.sessionEncryptionKeys !== undefined) return config.sessionEncryptionKeys;
  if (isLoopbackUrl(new URL(config.publicUrl))) return ephemeralSessionKeys();
  throw new ConfigError(
    'Invalid configuration:\n  SESSION_ENCRYPTION_KEYS is required when PUBLIC_URL is not a loopback address (kid:base64key with a 32-byte key; the first seals, all open)',
  );
}

export function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sessionEncryptionKeys' | 'publicUrl'>): Promise<Store> {
  let sessionKeys: readonly SessionKey[];
  try {
    sessionKeys = sessionKeysFor(config);
  } catch (error) {
    return Promise.reject(error);
  }
  if (config.databaseUrl !== undefined) return openPostgresStore({ connectionString: config.databaseUrl, sessionKeys });
  return openPgliteStore({ dataDir: join(config.dataDir, 'gateway-db'), sessionKeys });
}

/**
 * The store for the admin commands (audit:verify, account:blocks, account:unblock), which never read sessions: the
 * configured key ring when there is one, else a throwaway key. With PGlite the portal must be stopped first (one
 * process per folder).
 */
export function openAdminStore(config: StoreConfig): Promise<Store> {
  const sessionKeys = config.sessionEncryptionKeys ?? ephemeralSessionKeys();
  if (config.databaseUrl !== undefined) return openPostgresStore({ connectionString: config.databaseUrl, sessionKeys });
  return openPgliteStore({ dataDir: join(config.dataDir, 'gateway-db'), sessionKeys });
}

export { openPgliteStore } from './pglite-store.ts';
export { openPostgresStore } from './postgres-store.ts';
export type {
  AccountBlock,
  AccountBlockRepository,
  AuditRecord,
  AuditRepository,
  AuditTrail,
  AuditVerification,
  SessionExpiryLimits,
  SessionRepository,
  Store,
} from './types.ts';
