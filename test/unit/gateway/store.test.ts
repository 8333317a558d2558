/** The Store contract, against PGlite always and PostgreSQL when DATABASE_URL is set. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import { openPostgresStore } from '../../../gateway/src/store/postgres-store.ts';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, MIGRATIONS } from '../../../gateway/src/store/migrations.ts';
import { parseSessionKeys } from '../../../gateway/src/store/seal.ts';
import type { AuditRecord, Store } from '../../../gateway/src/store/types.ts';
import type { Session } from '../../../gateway/src/session/types.ts';

/** A fixed test key ring (never a deployment's). */
const KEYS = parseSessionKeys(`test1:${Buffer.alloc(32, 7).toString('base64')}`);

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: randomUUID(),
    createdAt: 1_000_000,
    lastSeenAt: 1_000_000,
    fhirBaseUrl: 'https://ehr.example.org/fhir/R4',
    secret: 'secret',
    principal: { fhirUser: 'https://ehr.example.org/fhir/R4/Person/g1', reference: 'Person/g1', kind: 'Person', scopes: ['openid'] },
    tokens: { accessToken: 'at', refreshToken: 'rt', accessTokenExpiresAt: 2_000_000, scope: 'openid', tokenType: 'bearer' },
    ...overrides,
  };
}

function audit(patient: string, recorded: string): AuditRecord {
  return {
    id: randomUUID(),
    recorded,
    requestId: randomUUID(),
    actor: 'https://ehr.example.org/fhir/R4/Person/g1',
    patient,
    action: 'read',
    query: 'GET /fhir/Patient/1',
    outcome: 'allowed',
    returned: [patient],
    withheld: [],
    reasons: [],
  };
}

function storeContract(name: string, open: () => Promise<Store>) {
  describe(name, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('creates, reads, replaces, touches and deletes sessions', async () => {
      const s = session();
      await store.sessions.create(s);
      expect(await store.sessions.get(s.id)).toEqual(s);
      const replaced = { ...s, tokens: { ...s.tokens!, accessToken: 'at2' } };
      await store.sessions.put(replaced);
      expect((await store.sessions.get(s.id))?.tokens?.accessToken).toBe('at2');
      await store.sessions.touch(s.id, 1_500_000);
      const touched = await store.sessions.get(s.id);
      expect(touched?.lastSeenAt).toBe(1_500_000);
      expect(touched?.tokens?.accessToken).toBe('at2');
      const removed = await store.sessions.delete(s.id);
      expect(removed).toEqual({ ...s, lastSeenAt: 1_500_000, tokens: { ...s.tokens!, accessToken: 'at2' } });
      expect(await store.sessions.get(s.id)).toBeUndefined();
      expect(await store.sessions.delete(s.id)).toBeUndefined();
    });

    it('refuses a duplicate id on create', async () => {
      const s = session();
      await store.sessions.create(s);
      await expect(store.sessions.create(s)).rejects.toThrow();
    });

    it('deletes idle, too-old and stale pre-sign-in sessions only, and returns them with their tokens', async () => {
      const now = 10_000_000_000;
      const fresh = session({ createdAt: now - 1000, lastSeenAt: now - 1000 });
      const idle = session({ createdAt: now - 5000, lastSeenAt: now - 3000 });
      const old = session({ createdAt: now - 100_000, lastSeenAt: now - 10 });
      const { principal: _p, tokens: _t, ...anonymous } = session();
      const pendingFresh = { ...anonymous, id: randomUUID(), createdAt: now - 500, lastSeenAt: now - 500 };
      const pendingStale = { ...anonymous, id: randomUUID(), createdAt: now - 1500, lastSeenAt: now - 10 };
      const signedInSameAge = session({ createdAt: now - 1500, lastSeenAt: now - 10 });
      for (const s of [fresh, idle, old, pendingFresh, pendingStale, signedInSameAge]) await store.sessions.create(s);
      const removed = await store.sessions.deleteExpired(now, { idleMs: 2000, maxAgeMs: 50_000, pendingMs: 1000 });
      for (const s of [fresh, pendingFresh, signedInSameAge]) expect(await store.sessions.get(s.id)).toBeDefined();
      for (const s of [idle, old, pendingStale]) expect(await store.sessions.get(s.id)).toBeUndefined();
      // Other tests' rows may expire too; ours are among the removed, tokens readable, ids replaced by row keys.
      const ours = removed.filter((r) => [idle, old, pendingStale].some((s) => s.createdAt === r.createdAt && s.lastSeenAt === r.lastSeenAt));
      expect(ours).toHaveLength(3);
      expect(ours.map((r) => r.tokens?.refreshToken ?? 'none').sort()).toEqual(['none', 'rt', 'rt']);
      for (const r of ours) expect([idle.id, old.id, pendingStale.id]).not.toContain(r.id);
    });

    it('deleteForUser removes every session of that fhirUser and no other', async () => {
      const fhirUser = `https://ehr.example.org/fhir/R4/Person/${randomUUID()}`;
      const principal = { fhirUser, reference: 'Person/x', kind: 'Person' as const, scopes: ['openid'] };
      const mine = [session({ principal, tokens: { accessToken: 'a1', refreshToken: 'r1', accessTokenExpiresAt: 1, scope: 'openid', tokenType: 'bearer' } }), session({ principal })];
      const someoneElse = session();
      for (const s of [...mine, someoneElse]) await store.sessions.create(s);
      const removed = await store.sessions.deleteForUser(fhirUser);
      expect(removed.map((r) => r.tokens?.refreshToken).sort()).toEqual(['r1', 'rt']);
      for (const s of mine) expect(await store.sessions.get(s.id)).toBeUndefined();
      expect(await store.sessions.get(someoneElse.id)).toBeDefined();
      expect(await store.sessions.deleteForUser(fhirUser)).toEqual([]);
    });

    it('blocks accounts idempotently, lists and clears them', async () => {
      const fhirUser = `https://ehr.example.org/fhir/R4/Person/${randomUUID()}`;
      expect(await store.accountBlocks.isBlocked(fhirUser)).toBe(false);
      await store.accountBlocks.block({ fhirUser, reason: 'reported-unauthorized-access', blockedAt: '2026-03-01T17:00:00.000Z' });
      await store.accountBlocks.block({ fhirUser, reason: 'second report', blockedAt: '2026-03-02T17:00:00.000Z' });
      expect(await store.accountBlocks.isBlocked(fhirUser)).toBe(true);
      expect((await store.accountBlocks.list()).filter((b) => b.fhirUser === fhirUser)).toEqual([
        { fhirUser, reason: 'reported-unauthorized-access', blockedAt: '2026-03-01T17:00:00.000Z' },
      ]);
      expect(await store.accountBlocks.clear(fhirUser)).toBe(true);
      expect(await store.accountBlocks.clear(fhirUser)).toBe(false);
      expect(await store.accountBlocks.isBlocked(fhirUser)).toBe(false);
    });

    it('withLock serialises critical sections per session id', async () => {
      const id = randomUUID();
      const events: string[] = [];
      const section = (label: string) =>
        store.sessions.withLock(id, async () => {
          events.push(`${label}:in`);
          await new Promise((resolve) => setImmediate(resolve));
          await store.sessions.get(id); // repository calls inside the lock must not deadlock
          events.push(`${label}:out`);
          return label;
        });
      expect(await Promise.all([section('a'), section('b'), section('c')])).toEqual(['a', 'b', 'c']);
      expect(events).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
    });

    it('withLock releases the lock when the section throws', async () => {
      const id = randomUUID();
      await expect(store.sessions.withLock(id, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await store.sessions.withLock(id, async () => 'next')).toBe('next');
    });

    it('lists audit records for one patient, newest first', async () => {
      const patient = `Patient/${randomUUID()}`;
      await store.audit.append(audit(patient, '2026-01-01T10:00:00Z'));
      await store.audit.append(audit(patient, '2026-01-02T10:00:00Z'));
      await store.audit.append(audit('Patient/other', '2026-01-03T10:00:00Z'));
      const list = await store.audit.listForPatient(patient);
      expect(list.map((r) => r.recorded)).toEqual(['2026-01-02T10:00:00Z', '2026-01-01T10:00:00Z']);
      expect(await store.audit.listForPatient(patient, { limit: 1 })).toHaveLength(1);
    });
  });
}

storeContract('PGlite (in memory)', () => openPgliteStore({ sessionKeys: KEYS }));

describe('upgrading a version-1 database', () => {
  it('drops clear-text session rows and chains the existing audit records', async () => {
    const db = await PGlite.create();
    try {
      await applyMigrations(db, MIGRATIONS.slice(0, 1));
      const s = session();
      await db.query('INSERT INTO sprout_sessions (id, created_at, last_seen_at, data) VALUES ($1, $2, $3, $4::jsonb)', [s.id, s.createdAt, s.lastSeenAt, JSON.stringify(s)]);
      const old = [audit('Patient/p1', '2026-01-02T10:00:00Z'), audit('Patient/p1', '2026-01-01T10:00:00Z')];
      for (const r of old) await db.query('INSERT INTO sprout_audit (id, recorded, patient, data) VALUES ($1, $2, $3, $4::jsonb)', [r.id, r.recorded, r.patient, JSON.stringify(r)]);
      const store = await openPgliteStore({ database: db, sessionKeys: KEYS });
      expect(await store.sessions.get(s.id)).toBeUndefined();
      expect(await db.query('SELECT 1 FROM sprout_sessions')).toMatchObject({ rows: [] });
      await store.audit.append(audit('Patient/p1', '2026-01-03T10:00:00Z'));
      expect(await store.auditTrail.verify()).toMatchObject({ ok: true, rows: 3 });
      const chained = await db.query<{ id: string; seq: number }>('SELECT id, seq FROM sprout_audit ORDER BY seq');
      expect(chained.rows.slice(0, 2).map((r) => r.id)).toEqual([old[1]!.id, old[0]!.id]); // recorded order
      await store.close();
    } finally {
      await db.close();
    }
  });
});

describe('PGlite (folder)', () => {
  it('keeps sessions across a restart and shares one instance per folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-store-'));
    try {
      const s = session();
      const first = await openPgliteStore({ dataDir: dir, sessionKeys: KEYS });
      const second = await openPgliteStore({ dataDir: dir, sessionKeys: KEYS }); // same folder, same process: shared, not a second instance
      await first.sessions.create(s);
      expect(await second.sessions.get(s.id)).toEqual(s);
      await first.close();
      expect(await second.sessions.get(s.id)).toEqual(s); // still open for the other user
      await second.close();
      const reopened = await openPgliteStore({ dataDir: dir, sessionKeys: KEYS });
      expect(await reopened.sessions.get(s.id)).toEqual(s);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const databaseUrl = process.env['DATABASE_URL'];
if (databaseUrl !== undefined && databaseUrl !== '') {
  storeContract('PostgreSQL', () => openPostgresStore({ connectionString: databaseUrl, sessionKeys: KEYS }));

  describe('PostgreSQL across gateway replicas', () => {
    it('withLock excludes a second store instance (another replica) on the same session id', async () => {
      const [replicaA, replicaB] = await Promise.all([
        openPostgresStore({ connectionString: databaseUrl, sessionKeys: KEYS }),
        openPostgresStore({ connectionString: databaseUrl, sessionKeys: KEYS }),
      ]);
      try {
        const id = randomUUID();
        const events: string[] = [];
        let releaseA: () => void = () => undefined;
        const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
        let aEntered: () => void = () => undefined;
        const aIn = new Promise<void>((resolve) => (aEntered = resolve));
        const a = replicaA.sessions.withLock(id, async () => {
          events.push('a:in');
          aEntered();
          await aHolds;
          events.push('a:out');
        });
        await aIn;
        const b = replicaB.sessions.withLock(id, async () => {
          events.push('b:in');
        });
        // Give replica B every chance to (wrongly) enter while A holds the database lock.
        for (let i = 0; i < 20; i += 1) await replicaB.sessions.get(id);
        expect(events).toEqual(['a:in']);
        releaseA();
        await Promise.all([a, b]);
        expect(events).toEqual(['a:in', 'a:out', 'b:in']);
      } finally {
        await Promise.all([replicaA.close(), replicaB.close()]);
      }
    });
  });
} else {
  describe.skip('PostgreSQL (set DATABASE_URL to run)', () => {
    it('runs the store contract', () => undefined);
  });
}
