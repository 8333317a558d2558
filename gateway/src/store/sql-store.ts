/**
 * The repositories both Store implementations share, over a minimal query interface (PGlite and PostgreSQL speak the
 * same dialect): sessions (sql-sessions.ts), the audit trail, account blocks.
 */
import type { SqlQueryable } from './sql.ts';
import type { AccountBlock, AccountBlockRepository, Store } from './types.ts';

export { applyMigrations, MIGRATIONS } from './migrations.ts';
export { createSqlSessionRepository } from './sql-sessions.ts';
export { createSqlAuditRepository, type AuditTransaction } from './sql-audit.ts';
export type { SqlQueryable } from './sql.ts';

export function createSqlAccountBlockRepository(db: SqlQueryable): AccountBlockRepository {
  return {
    async block(block: AccountBlock) {
      await db.query('INSERT INTO sprout_account_blocks (fhir_user, reason, blocked_at) VALUES ($1, $2, $3) ON CONFLICT (fhir_user) DO NOTHING', [
        block.fhirUser,
        block.reason,
        block.blockedAt,
      ]);
    },
    async isBlocked(fhirUser: string) {
      const result = await db.query<{ one: number }>('SELECT 1 AS one FROM sprout_account_blocks WHERE fhir_user = $1', [fhirUser]);
      return result.rows.length > 0;
    },
    async clear(fhirUser: string) {
      const result = await db.query<{ fhir_user: string }>('DELETE FROM sprout_account_blocks WHERE fhir_user = $1 RETURNING fhir_user', [fhirUser]);
      return result.rows.length > 0;
    },
    async list() {
      const result = await db.query<{ fhir_user: string; reason: string; blocked_at: string }>(
        'SELECT fhir_user, reason, blocked_at FROM sprout_account_blocks ORDER BY blocked_at, fhir_user',
      );
      return result.rows.map((row) => ({ fhirUser: row.fhir_user, reason: row.reason, blockedAt: row.blocked_at }));
    },
  };
}

export type { Store };
