/**
 * The store under test with raw SQL beside it, on PGlite (always) and PostgreSQL (when DATABASE_URL is set, always in
 * CI): each open() is a database of its own, so tampering and pruning stay inside the test.
 */
import { PGlite } from '@electric-sql/pglite';
import { openPgliteStore } from '../../../../gateway/src/store/pglite-store.ts';
import { openPostgresStore } from '../../../../gateway/src/store/postgres-store.ts';
import { parseSessionKeys, type SessionKey } from '../../../../gateway/src/store/seal.ts';
import type { Store } from '../../../../gateway/src/store/types.ts';
import { createScratchDatabase, databaseUrl } from './postgres.ts';
import pg from 'pg';

/** Fixed test key rings (never a deployment's). */
export const TEST_KEYS = parseSessionKeys(`test1:${Buffer.alloc(32, 7).toString('base64')}`);

export interface OpenedBackend {
  readonly store: Store;
  /** Raw SQL as the database's owner (a superuser on PostgreSQL in CI). */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** A second store on the same database (another replica, or the same one with other keys). */
  reopen(sessionKeys?: readonly SessionKey[]): Promise<Store>;
  close(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  open(sessionKeys?: readonly SessionKey[]): Promise<OpenedBackend>;
}

export const pgliteBackend: Backend = {
  name: 'PGlite',
  async open(sessionKeys = TEST_KEYS) {
    const db = await PGlite.create();
    const stores: Store[] = [await openPgliteStore({ database: db, sessionKeys })];
    return {
      store: stores[0]!,
      sql: async <Row>(text: string, params?: unknown[]) => (await db.query<Row>(text, params)).rows,
      async reopen(keys = sessionKeys) {
        const store = await openPgliteStore({ database: db, sessionKeys: keys });
        stores.push(store);
        return store;
      },
      async close() {
        for (const store of stores) await store.close();
        await db.close();
      },
    };
  },
};

function postgresOn(baseUrl: string): Backend {
  return {
    name: 'PostgreSQL',
    async open(sessionKeys = TEST_KEYS) {
      const scratch = await createScratchDatabase(baseUrl);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      const stores: Store[] = [await openPostgresStore({ connectionString: scratch.url, sessionKeys })];
      return {
        store: stores[0]!,
        sql: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
        async reopen(keys = sessionKeys) {
          const store = await openPostgresStore({ connectionString: scratch.url, sessionKeys: keys });
          stores.push(store);
          return store;
        },
        async close() {
          for (const store of stores) await store.close();
          await client.end();
          await scratch.drop();
        },
      };
    },
  };
}

export const postgresBackend: Backend | undefined = databaseUrl === undefined ? undefined : postgresOn(databaseUrl);

export const backends: readonly Backend[] = postgresBackend === undefined ? [pgliteBackend] : [pgliteBackend, postgresBackend];
