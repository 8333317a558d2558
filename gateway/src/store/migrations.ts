/**
 * The schema, as ordered, append-only migrations shared by PGlite and PostgreSQL. A released migration is never
 * edited; add a new one. A migration is SQL text split on `;` (`sql`), a list of statements run as given
 * (`statements`, for function bodies that contain `;`), and/or a step in TypeScript (`run`).
 */
import { chainExistingRows, PRUNE_FLAG } from './sql-audit.ts';
import type { SqlQueryable } from './sql.ts';

export interface Migration {
  readonly version: number;
  readonly sql?: string;
  readonly statements?: readonly string[];
  readonly run?: (db: SqlQueryable) => Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sprout_sessions (
        id text PRIMARY KEY,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX sprout_sessions_last_seen ON sprout_sessions (last_seen_at);
      CREATE INDEX sprout_sessions_created ON sprout_sessions (created_at);
      CREATE TABLE sprout_audit (
        id text PRIMARY KEY,
        recorded timestamptz NOT NULL,
        patient text,
        data jsonb NOT NULL
      );
      CREATE INDEX sprout_audit_patient_recorded ON sprout_audit (patient, recorded DESC);
    `,
  },
  {
    // Sessions sealed at rest, keyed by a hash of the id. Version-1 rows held tokens in clear under the raw cookie
    // value: they are dropped (everyone signs in again) rather than carried over.
    version: 2,
    sql: `
      DROP TABLE sprout_sessions;
      CREATE TABLE sprout_sessions (
        key text PRIMARY KEY,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        fhir_user text,
        sealed text NOT NULL
      );
      CREATE INDEX sprout_sessions_last_seen ON sprout_sessions (last_seen_at);
      CREATE INDEX sprout_sessions_created ON sprout_sessions (created_at);
      CREATE INDEX sprout_sessions_fhir_user ON sprout_sessions (fhir_user);
      CREATE TABLE sprout_account_blocks (
        fhir_user text PRIMARY KEY,
        reason text NOT NULL,
        blocked_at text NOT NULL
      );
    `,
  },
  {
    // The audit trail becomes append-only and hash-chained (audit-chain.ts, sql-audit.ts). Existing rows are chained
    // in recorded order. The trigger refuses UPDATE, DELETE and TRUNCATE for every role, including the table's
    // owner; only prune(), which sets PRUNE_FLAG for its own transaction, may delete (and it records that it did).
    version: 3,
    run: async (db) => {
      await db.query(
        `ALTER TABLE sprout_audit ADD COLUMN seq bigint, ADD COLUMN kind text NOT NULL DEFAULT 'event', ADD COLUMN anchor jsonb,
           ADD COLUMN prev_hash text, ADD COLUMN hash text`,
      );
      await chainExistingRows(db);
      await db.query(
        `ALTER TABLE sprout_audit ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL,
           ALTER COLUMN kind DROP DEFAULT, ADD CONSTRAINT sprout_audit_kind CHECK (kind IN ('event', 'prune'))`,
      );
      await db.query('CREATE UNIQUE INDEX sprout_audit_seq ON sprout_audit (seq)');
      await db.query(`
        CREATE FUNCTION sprout_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('${PRUNE_FLAG}', true) = 'on' THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'sprout_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END
        $$`);
      await db.query('CREATE TRIGGER sprout_audit_append_only BEFORE UPDATE OR DELETE ON sprout_audit FOR EACH ROW EXECUTE FUNCTION sprout_audit_refuse_change()');
      await db.query('CREATE TRIGGER sprout_audit_no_truncate BEFORE TRUNCATE ON sprout_audit FOR EACH STATEMENT EXECUTE FUNCTION sprout_audit_refuse_change()');
    },
  },
  {
    // Actions and notifications (docs/actions.md, store/action-types.ts): idempotency records, the email outbox,
    // notification preferences, sealed drafts, named leases and watermarks.
    version: 4,
    sql: `
      CREATE TABLE sprout_idempotency (
        subject text NOT NULL,
        key text NOT NULL,
        action text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        owner text NOT NULL,
        claimed_at bigint NOT NULL,
        completed_at bigint,
        status integer,
        sealed text,
        PRIMARY KEY (subject, key)
      );
      CREATE INDEX sprout_idempotency_claimed ON sprout_idempotency (claimed_at);
      CREATE TABLE sprout_outbox (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        recipient text NOT NULL,
        sealed text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL,
        next_attempt_at bigint NOT NULL,
        lease_owner text,
        lease_until bigint,
        created_at bigint NOT NULL,
        sent_at bigint,
        last_error text
      );
      CREATE INDEX sprout_outbox_due ON sprout_outbox (status, next_attempt_at);
      CREATE TABLE sprout_notification_preferences (
        person text PRIMARY KEY,
        email_enabled boolean NOT NULL,
        language text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE sprout_drafts (
        owner text NOT NULL,
        id text NOT NULL,
        kind text NOT NULL,
        updated_at bigint NOT NULL,
        sealed text NOT NULL,
        PRIMARY KEY (owner, id)
      );
      CREATE TABLE sprout_leases (
        name text PRIMARY KEY,
        owner text NOT NULL,
        until bigint NOT NULL
      );
      CREATE TABLE sprout_watermarks (
        name text PRIMARY KEY,
        value text NOT NULL,
        updated_at bigint NOT NULL
      );
    `,
  },
];

function splitSql(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Apply pending migrations. The caller guarantees exclusivity (a transaction plus, on PostgreSQL, an advisory lock). */
export async function applyMigrations(db: SqlQueryable, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS sprout_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = await db.query<{ version: number }>('SELECT version FROM sprout_schema_migrations');
  const done = new Set(applied.rows.map((r) => Number(r.version)));
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of [...splitSql(migration.sql ?? ''), ...(migration.statements ?? [])]) await db.query(statement);
    if (migration.run !== undefined) await migration.run(db);
    await db.query('INSERT INTO sprout_schema_migrations (version) VALUES ($1)', [migration.version]);
  }
}
