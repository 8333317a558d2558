/**
 * PostgreSQL for the store tests: DATABASE_URL (always set in CI by .ci/run). Tests that tamper with the audit trail or
 * prune it get a database of their own, dropped afterwards, so they never disturb the shared one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const databaseUrl: string | undefined = process.env['DATABASE_URL'] === '' ? undefined : process.env['DATABASE_URL'];

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE sprout_test_<random> on the server DATABASE_URL names (the role needs CREATEDB). */
export async function createScratchDatabase(baseUrl: string): Promise<ScratchDatabase> {
  const name = `sprout_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Raw SQL on a database, as an operator with psql would have (used to tamper, and to look at what is stored). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
