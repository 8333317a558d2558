/** Opens the configured store: PostgreSQL when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { Store } from './types.ts';

export function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  if (config.databaseUrl !== undefined) return openPostgresStore({ connectionString: config.databaseUrl });
  return openPgliteStore({ dataDir: join(config.dataDir, 'gateway-db') });
}

export { openPgliteStore } from './pglite-store.ts';
export { openPostgresStore } from './postgres-store.ts';
export type { AuditRecord, AuditRepository, SessionRepository, Store } from './types.ts';
