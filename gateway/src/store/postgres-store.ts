/**
 * PostgreSQL store (when DATABASE_URL is set): the same SQL as PGlite, over a `pg` pool.
 *
 * Locking: withLock holds `pg_advisory_xact_lock` on a hash of the session id inside a transaction on a dedicated
 * connection, so gateway replicas sharing the database serialise on it; an in-process mutex in front keeps one
 * process from tying up several pool connections waiting for the same lock. Repository calls inside `fn` use other
 * pool connections (the advisory lock excludes only other lockers), so the pool needs at least two connections.
 * Audit appends and pruning take one fixed advisory lock in their own transaction, so the hash chain is extended by
 * one replica at a time.
 */
import pg from 'pg';
import { KeyedMutex } from './keyed-mutex.ts';
import { createSealer, type SessionKey } from './seal.ts';
import { applyMigrations, createSqlAccountBlockRepository, createSqlAuditRepository, createSqlSessionRepository, type SqlQueryable } from './sql-store.ts';
import { createActionRepositories } from './sql-action-store.ts';
import type { Store } from './types.ts';

/** Serialises migrations across replicas starting together (an arbitrary constant: "sprout" in ASCII). */
const MIGRATION_LOCK_KEY = 0x7370726f7574;
/** Serialises audit appends and pruning across replicas ("sproutA"). */
const AUDIT_LOCK_KEY = 0x73_7072_6f75_7441;

/** `sessionKeys` seal sessions at rest (seal.ts); every replica sharing the database needs the same key ring. */
export async function openPostgresStore(options: {
  readonly connectionString: string;
  readonly sessionKeys: readonly SessionKey[];
  readonly maxConnections?: number;
}): Promise<Store> {
  const sealer = createSealer(options.sessionKeys);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: Math.max(2, options.maxConnections ?? 10) });
  // An idle pooled connection that the server ends (restart, failover, an operator's pg_terminate_backend) is dropped
  // from the pool and the next query opens a new one; without a listener its 'error' event would crash the process.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle store connection: ${error.message}`));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await applyMigrations({ query: async <Row>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as Row[] }) });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  client.release();

  const queryable: SqlQueryable = {
    query: async <Row>(sql: string, params?: unknown[]) => {
      const result = await pool.query(sql, params);
      return { rows: result.rows as Row[] };
    },
  };
  const mutex = new KeyedMutex();

  async function withAdvisoryLock<T>(rowKey: string, fn: () => Promise<T>): Promise<T> {
    const lockClient = await pool.connect();
    try {
      await lockClient.query('BEGIN');
      await lockClient.query("SELECT pg_advisory_xact_lock(hashtextextended('sprout-session:' || $1, 0))", [rowKey]);
      const result = await fn();
      await lockClient.query('COMMIT');
      return result;
    } catch (error) {
      await lockClient.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      lockClient.release();
    }
  }

  /** The audit trail's lock: one transaction at a time across replicas, on a connection of its own. */
  async function inAuditLock<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const result = await fn({ query: async <Row>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as Row[] }) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  const audit = createSqlAuditRepository(queryable, inAuditLock);

  return {
    sessions: createSqlSessionRepository(queryable, sealer, (key, fn) => mutex.run(key, () => withAdvisoryLock(key, fn))),
    audit,
    auditTrail: audit,
    accountBlocks: createSqlAccountBlockRepository(queryable),
    ...createActionRepositories(queryable, sealer),
    close: () => pool.end(),
  };
}
