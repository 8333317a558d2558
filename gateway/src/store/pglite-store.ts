/**
 * Embedded PGlite store (the default). Data lives in a folder and survives restarts; an in-memory database when no
 * folder is given (tests). PGlite allows one instance per folder, so instances are shared per resolved path and
 * closed when the last store using one closes.
 *
 * Locking: PGlite runs inside this one process and the folder cannot be opened by another, so an in-process mutex per
 * session id is a complete lock. (A PGlite transaction is not used for it: PGlite serialises all queries behind an
 * open transaction, so repository calls made inside `fn` would deadlock.)
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { KeyedMutex } from './keyed-mutex.ts';
import { createSealer, ephemeralSessionKeys, type SessionKey } from './seal.ts';
import { applyMigrations, createSqlAccountBlockRepository, createSqlAuditRepository, createSqlSessionRepository, type SqlQueryable } from './sql-store.ts';
import { createActionRepositories } from './sql-action-store.ts';
import type { Store } from './types.ts';

interface SharedInstance {
  readonly db: Promise<PGlite>;
  refs: number;
}

const instances = new Map<string, SharedInstance>();

async function migrated(db: PGlite): Promise<PGlite> {
  await db.transaction(async (tx) => applyMigrations(tx));
  return db;
}

async function openInstance(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  return migrated(dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir));
}

/**
 * Open (or share) the PGlite database in `dataDir`; in memory when undefined. Migrations run on first open.
 * `sessionKeys` seal sessions at rest (seal.ts); without them a per-process key is used, so sessions in a folder do
 * not survive a restart (fine for tests and loopback development, refused in production by openStore).
 * `database`: an open PGlite the caller owns instead (migrated here, left open by close()).
 */
export async function openPgliteStore(
  options: { readonly dataDir?: string; readonly sessionKeys?: readonly SessionKey[]; readonly database?: PGlite } = {},
): Promise<Store> {
  const sealer = createSealer(options.sessionKeys ?? ephemeralSessionKeys());
  const key = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const callerOwned = options.database !== undefined;
  let shared: SharedInstance;
  if (options.database !== undefined) {
    shared = { db: migrated(options.database), refs: 1 };
  } else if (key === undefined) {
    shared = { db: openInstance(undefined), refs: 1 };
  } else {
    const existing = instances.get(key);
    if (existing === undefined) {
      shared = { db: openInstance(key), refs: 1 };
      instances.set(key, shared);
      shared.db.catch(() => instances.delete(key));
    } else {
      shared = existing;
      shared.refs += 1;
    }
  }
  const db = await shared.db;
  const queryable: SqlQueryable = { query: (sql, params) => db.query(sql, params) };
  const mutex = new KeyedMutex();
  // One process owns the folder and PGlite runs one transaction at a time: a transaction is the audit lock.
  const audit = createSqlAuditRepository(queryable, (fn) => db.transaction((tx) => fn(tx)));
  let closed = false;
  return {
    sessions: createSqlSessionRepository(queryable, sealer, (key, fn) => mutex.run(key, fn)),
    audit,
    auditTrail: audit,
    accountBlocks: createSqlAccountBlockRepository(queryable),
    ...createActionRepositories(queryable, sealer),
    async close() {
      if (closed) return;
      closed = true;
      shared.refs -= 1;
      if (shared.refs > 0) return;
      if (callerOwned) return;
      if (key !== undefined) instances.delete(key);
      await db.close();
    },
  };
}
