/**
 * Issue 9, finding 6: the audit trail is append-only in the database and tamper-evident, on PGlite and (DATABASE_URL,
 * always in CI) PostgreSQL alike. Tampering is done as an operator with database access would: raw SQL, disabling
 * the trigger first as a superuser can.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../gateway/src/store/types.ts';
import { auditVerify } from '../../../scripts/audit-verify.ts';
import { backends, type OpenedBackend } from './support/store-backends.ts';

function record(patient: string | undefined, recorded: string, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: randomUUID(),
    recorded,
    requestId: randomUUID(),
    actor: 'https://ehr.example.org/fhir/R4/Person/g1',
    ...(patient === undefined ? {} : { patient }),
    action: 'read',
    query: `GET /fhir/${patient ?? 'metadata'}`,
    outcome: 'allowed',
    returned: patient === undefined ? [] : [patient],
    withheld: [],
    reasons: [],
    ...overrides,
  };
}

async function appendDays(db: OpenedBackend, days: readonly string[], patient = 'Patient/p1'): Promise<AuditRecord[]> {
  const records = days.map((day) => record(patient, `${day}T10:00:00.000Z`));
  for (const r of records) await db.store.audit.append(r);
  return records;
}

async function asSuperuser(db: OpenedBackend, statement: string, params: unknown[] = []): Promise<void> {
  await db.sql('ALTER TABLE sprout_audit DISABLE TRIGGER sprout_audit_append_only');
  try {
    await db.sql(statement, params);
  } finally {
    await db.sql('ALTER TABLE sprout_audit ENABLE TRIGGER sprout_audit_append_only');
  }
}

async function verifyOutput(db: OpenedBackend): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await auditVerify(db.store.auditTrail, (line) => lines.push(line));
  return { code, lines };
}

for (const backend of backends) {
  describe(`audit trail on ${backend.name}`, () => {
    let db: OpenedBackend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('chains every appended record and verifies', async () => {
      const before = await db.store.auditTrail.verify();
      await appendDays(db, ['2026-01-01', '2026-01-02', '2026-01-03']);
      const result = await db.store.auditTrail.verify();
      expect(result.ok).toBe(true);
      if (!result.ok || !before.ok) return;
      expect(result.rows).toBe(before.rows + 3);
      const rows = await db.sql<{ seq: unknown; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM sprout_audit ORDER BY seq');
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(result.head).toEqual({ seq: rows.length, hash: rows[rows.length - 1]!.hash });
      const { code, lines } = await verifyOutput(db);
      expect(code).toBe(0);
      expect(lines.join('\n')).toContain(`head seq ${rows.length}`);
    });

    it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
      await appendDays(db, ['2026-01-04']);
      await expect(db.sql(`UPDATE sprout_audit SET data = jsonb_set(data, '{outcome}', '"denied"')`)).rejects.toThrow(/append-only/);
      await expect(db.sql('DELETE FROM sprout_audit')).rejects.toThrow(/append-only/);
      await expect(db.sql('TRUNCATE sprout_audit')).rejects.toThrow(/append-only/);
      // prune's flag is transaction-local: set that way in one statement, it is gone by the next.
      await db.sql(`SELECT set_config('sprout.audit_prune', 'on', true)`);
      await expect(db.sql('DELETE FROM sprout_audit')).rejects.toThrow(/append-only/);
      expect((await db.store.auditTrail.verify()).ok).toBe(true);
    });

    it('appends from concurrent writers without forking the chain', async () => {
      const other = await db.reopen();
      const burst = Array.from({ length: 12 }, (_, i) => record('Patient/burst', `2026-01-05T10:00:${String(i).padStart(2, '0')}.000Z`));
      await Promise.all(burst.map((r, i) => (i % 2 === 0 ? db.store : other).audit.append(r)));
      const result = await db.store.auditTrail.verify();
      expect(result).toMatchObject({ ok: true });
      expect(await db.store.audit.listForPatient('Patient/burst')).toHaveLength(12);
    });

    it('audit:verify names the first edited row and exits 1', async () => {
      const [, edited] = await appendDays(db, ['2026-01-06', '2026-01-07', '2026-01-08'], 'Patient/edited');
      const seq = Number((await db.sql<{ seq: unknown }>('SELECT seq FROM sprout_audit WHERE id = $1', [edited!.id]))[0]!.seq);
      await asSuperuser(db, `UPDATE sprout_audit SET data = jsonb_set(data, '{outcome}', '"denied"') WHERE id = $1`, [edited!.id]);
      const result = await db.store.auditTrail.verify();
      expect(result).toMatchObject({ ok: false, broken: { seq, id: edited!.id } });
      const { code, lines } = await verifyOutput(db);
      expect(code).toBe(1);
      expect(lines[0]).toContain(`seq ${seq}`);
      expect(lines[0]).toContain(edited!.id);
      expect(lines[0]).toContain('edited');
      // Put it back (as the same superuser) so the next tests start from an intact chain.
      await asSuperuser(db, `UPDATE sprout_audit SET data = jsonb_set(data, '{outcome}', '"allowed"') WHERE id = $1`, [edited!.id]);
      expect((await db.store.auditTrail.verify()).ok).toBe(true);
    });

    it('catches a moved patient column, a deleted row and a rewritten link', async () => {
      const [a, b, c] = await appendDays(db, ['2026-01-09', '2026-01-10', '2026-01-11'], 'Patient/hidden');
      const seqOf = async (id: string) => Number((await db.sql<{ seq: unknown }>('SELECT seq FROM sprout_audit WHERE id = $1', [id]))[0]!.seq);
      const [seqA, seqB, seqC] = [await seqOf(a!.id), await seqOf(b!.id), await seqOf(c!.id)];

      await asSuperuser(db, `UPDATE sprout_audit SET patient = 'Patient/someone-else' WHERE id = $1`, [a!.id]);
      expect(await db.store.auditTrail.verify()).toMatchObject({ ok: false, broken: { seq: seqA } });
      await asSuperuser(db, `UPDATE sprout_audit SET patient = 'Patient/hidden' WHERE id = $1`, [a!.id]);

      const saved = (await db.sql<{ prev_hash: string }>('SELECT prev_hash FROM sprout_audit WHERE id = $1', [c!.id]))[0]!.prev_hash;
      await asSuperuser(db, `UPDATE sprout_audit SET prev_hash = $2 WHERE id = $1`, [c!.id, '1'.repeat(64)]);
      expect(await db.store.auditTrail.verify()).toMatchObject({ ok: false, broken: { seq: seqC } });
      await asSuperuser(db, `UPDATE sprout_audit SET prev_hash = $2 WHERE id = $1`, [c!.id, saved]);

      await asSuperuser(db, 'DELETE FROM sprout_audit WHERE id = $1', [b!.id]);
      const result = await db.store.auditTrail.verify();
      expect(result).toMatchObject({ ok: false, broken: { seq: seqC } });
      if (!result.ok) expect(result.broken.problem).toContain(`${seqB}`);
    });
  });

  describe(`audit retention on ${backend.name}`, () => {
    let db: OpenedBackend;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('prunes the oldest records through the sanctioned path only, records it, and keeps the chain verifiable', async () => {
      const old = await appendDays(db, ['2025-01-01', '2025-02-01', '2025-03-01'], 'Patient/r1');
      const recent = await appendDays(db, ['2026-02-01', '2026-02-02'], 'Patient/r1');
      const removed = await db.store.auditTrail.prune('2026-01-01T00:00:00.000Z', '2026-03-01T17:00:00.000Z');
      expect(removed).toBe(old.length);
      expect((await db.store.audit.listForPatient('Patient/r1')).map((r) => r.id)).toEqual(recent.map((r) => r.id).reverse());
      const pruneRows = await db.sql<{ kind: string; anchor: unknown; data: unknown }>(`SELECT kind, anchor, data FROM sprout_audit WHERE kind = 'prune'`);
      expect(pruneRows).toHaveLength(1);
      expect(pruneRows[0]!.anchor).toMatchObject({ prunedThroughSeq: 3, removed: 3, before: '2026-01-01T00:00:00.000Z' });
      expect(pruneRows[0]!.data).toMatchObject({ action: 'prune', recorded: '2026-03-01T17:00:00.000Z' });
      expect(await db.store.auditTrail.verify()).toMatchObject({ ok: true, rows: recent.length + 1 });
      // The flag prune used was its own transaction's: a DELETE now is refused again.
      await expect(db.sql('DELETE FROM sprout_audit')).rejects.toThrow(/append-only/);

      // Nothing old enough: nothing removed, nothing recorded.
      expect(await db.store.auditTrail.prune('2026-01-01T00:00:00.000Z', '2026-03-02T17:00:00.000Z')).toBe(0);
      expect(await db.sql(`SELECT 1 FROM sprout_audit WHERE kind = 'prune'`)).toHaveLength(1);

      // A second prune that also removes the first prune record still leaves a verifiable chain.
      await appendDays(db, ['2026-04-01'], 'Patient/r1');
      expect(await db.store.auditTrail.prune('2026-03-15T00:00:00.000Z', '2026-04-02T00:00:00.000Z')).toBe(recent.length + 1);
      expect(await db.store.auditTrail.verify()).toMatchObject({ ok: true, rows: 2 });
    });

    it('catches a prefix deleted behind the trigger (no prune record accounts for it)', async () => {
      await appendDays(db, ['2026-05-01', '2026-05-02'], 'Patient/r2');
      const first = await db.sql<{ seq: unknown }>('SELECT min(seq) AS seq FROM sprout_audit');
      const firstSeq = Number(first[0]!.seq);
      await asSuperuser(db, 'DELETE FROM sprout_audit WHERE seq = $1', [firstSeq]);
      const result = await db.store.auditTrail.verify();
      expect(result).toMatchObject({ ok: false, broken: { seq: firstSeq + 1 } });
      if (!result.ok) expect(result.broken.problem).toContain('no prune record');
    });
  });
}
