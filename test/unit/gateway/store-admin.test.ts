/**
 * The staff commands over the store: `npm run audit:verify` (run as a process on a PGlite folder, tampered with as a
 * superuser would), `npm run account:blocks` / `account:unblock`, and audit retention (AUDIT_RETENTION_DAYS).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import { pruneExpiredAudit, retentionCutoff } from '../../../gateway/src/store/retention.ts';
import type { AuditRecord, Store } from '../../../gateway/src/store/types.ts';
import { accountAdmin } from '../../../scripts/account-admin.ts';
import { auditVerify } from '../../../scripts/audit-verify.ts';
import { TEST_KEYS } from './support/store-backends.ts';

const repoRoot = join(import.meta.dirname, '../../..');

function record(recorded: string): AuditRecord {
  return {
    id: randomUUID(),
    recorded,
    requestId: randomUUID(),
    actor: 'https://ehr.example.org/fhir/R4/Person/g1',
    patient: 'Patient/p1',
    action: 'read',
    query: 'GET /fhir/Patient/p1',
    outcome: 'allowed',
    returned: ['Patient/p1'],
    withheld: [],
    reasons: [],
  };
}

function runScript(script: string, args: readonly string[], env: Record<string, string>): { status: number | null; out: string } {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', script), ...args], { env: { ...rest, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('npm run audit:verify', () => {
  it('reports an intact trail, then exits 1 naming the row a superuser edited behind the trigger', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sprout-audit-verify-'));
    try {
      // One PGlite on the folder, used by the store and, beside it, as a superuser with psql would.
      const db = await PGlite.create(join(dataDir, 'gateway-db'));
      const store = await openPgliteStore({ database: db, sessionKeys: TEST_KEYS });
      const records = ['2026-01-01', '2026-01-02', '2026-01-03'].map((day) => record(`${day}T10:00:00.000Z`));
      for (const r of records) await store.audit.append(r);
      const intact: string[] = [];
      expect(await auditVerify(store.auditTrail, (line) => intact.push(line))).toBe(0);
      expect(intact[0]).toContain('Audit trail intact: 3 records checked; head seq 3');
      await db.exec('ALTER TABLE sprout_audit DISABLE TRIGGER sprout_audit_append_only');
      await db.query(`UPDATE sprout_audit SET data = jsonb_set(data, '{withheld}', '[]'), patient = 'Patient/p2' WHERE id = $1`, [records[1]!.id]);
      await db.exec('ALTER TABLE sprout_audit ENABLE TRIGGER sprout_audit_append_only');
      await store.close();
      await db.close();

      const broken = runScript('audit-verify.ts', [], { DATA_DIR: dataDir });
      expect(broken.out).toContain(`BROKEN at seq 2 (record ${records[1]!.id})`);
      expect(broken.status).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000); // two PGlite start-ups, one of them in a child process

  it('exits 2 with a clear message when the configuration is bad', () => {
    const bad = runScript('audit-verify.ts', [], { DATABASE_URL: 'mysql://nope' });
    expect(bad.status).toBe(2);
    expect(bad.out).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });
});

describe('account blocks and audit retention', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPgliteStore({ sessionKeys: TEST_KEYS });
  });
  afterAll(async () => {
    await store.close();
  });

  it('lists blocks and clears one, recording the unblock in the audit trail', async () => {
    const fhirUser = 'https://ehr.example.org/fhir/R4/Person/blocked';
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);
    expect(await accountAdmin(store, ['list'], print)).toBe(0);
    expect(lines).toEqual(['No accounts are blocked.']);
    await store.accountBlocks.block({ fhirUser, reason: 'reported-unauthorized-access', blockedAt: '2026-03-01T17:00:00.000Z' });
    lines.length = 0;
    expect(await accountAdmin(store, ['list'], print)).toBe(0);
    expect(lines).toEqual([`2026-03-01T17:00:00.000Z  ${fhirUser}  (reported-unauthorized-access)`]);

    lines.length = 0;
    expect(await accountAdmin(store, ['unblock', fhirUser], print, new Date('2026-03-02T09:00:00.000Z'), 'nurse.lee')).toBe(0);
    expect(lines[0]).toContain(`Cleared the block on ${fhirUser}`);
    expect(await store.accountBlocks.isBlocked(fhirUser)).toBe(false);
    const verification = await store.auditTrail.verify();
    expect(verification).toMatchObject({ ok: true, rows: 1 });
    expect(await accountAdmin(store, ['unblock', fhirUser], print)).toBe(1);
    expect(await accountAdmin(store, ['unblock'], print)).toBe(1);
    expect(await accountAdmin(store, ['frobnicate'], print)).toBe(1);
    expect(lines.at(-1)).toContain('usage:');
  });

  it('prunes records older than AUDIT_RETENTION_DAYS and keeps the rest', async () => {
    const now = Date.parse('2026-06-01T00:00:00.000Z');
    expect(retentionCutoff(now, 30)).toBe('2026-05-02T00:00:00.000Z');
    const old = record('2026-04-01T00:00:00.000Z');
    const recent = record('2026-05-20T00:00:00.000Z');
    await store.audit.append(old);
    await store.audit.append(recent);
    expect(await pruneExpiredAudit(store.auditTrail, 30, now)).toBe(2); // the unblock record above and `old`
    expect((await store.audit.listForPatient('Patient/p1')).map((r) => r.id)).toEqual([recent.id]);
    expect(await store.auditTrail.verify()).toMatchObject({ ok: true });
  });
});
