/**
 * The action and notification tables on PGlite and (with DATABASE_URL, always in CI) PostgreSQL, each with two stores
 * on one database standing for two replicas: idempotency claims, the outbox lease, drafts sealed at rest, leases and
 * watermarks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '../../../gateway/src/store/action-types.ts';
import { parseSessionKeys } from '../../../gateway/src/store/seal.ts';
import { backends, type OpenedBackend } from '../gateway/support/store-backends.ts';

const opened: OpenedBackend[] = [];
afterEach(async () => {
  for (const backend of opened.splice(0)) await backend.close();
});

const email = (n: number): OutboxEmail => ({
  dedupeKey: `message:Communication/${n}:RelatedPerson/maria`,
  recipient: 'RelatedPerson/maria',
  to: 'maria.rivera@example.org',
  language: 'es',
  template: 'new-message',
  params: { link: 'https://portal.example.org/messages' },
});

describe.each(backends)('action tables on $name', (backend) => {
  async function open() {
    const db = await backend.open();
    opened.push(db);
    return db;
  }

  it('idempotency: claim, in progress, replay, mismatch, release, stale takeover — across two replicas', async () => {
    const db = await open();
    const a = db.store;
    const b = await db.reopen();
    const base = { subject: 'https://ehr/Person/maria', key: 'key-0123456789abcdef', action: 'messages.send', fingerprint: 'f1', now: 1_000, staleAfterMs: 60_000 };
    const first = await a.idempotency.claim(base);
    expect(first.kind).toBe('claimed');
    expect(await b.idempotency.claim(base)).toEqual({ kind: 'in-progress' });
    expect(await b.idempotency.claim({ ...base, fingerprint: 'f2' })).toEqual({ kind: 'mismatch' });
    expect(await b.idempotency.claim({ ...base, action: 'other' })).toEqual({ kind: 'mismatch' });
    if (first.kind !== 'claimed') throw new Error('unreachable');
    expect(await a.idempotency.complete(base.subject, base.key, first.owner, { status: 201, body: { reference: 'Communication/1' } }, 2_000)).toBe(true);
    expect(await b.idempotency.claim(base)).toEqual({ kind: 'replay', outcome: { status: 201, body: { reference: 'Communication/1' } } });
    // Another person's identical key is theirs alone.
    expect((await b.idempotency.claim({ ...base, subject: 'https://ehr/Person/daniel' })).kind).toBe('claimed');

    // Released keys run again; a stale running claim is taken over and the old owner can no longer complete it.
    const other = { ...base, key: 'key-fedcba9876543210' };
    const c1 = await a.idempotency.claim(other);
    if (c1.kind !== 'claimed') throw new Error('expected a claim');
    await a.idempotency.release(other.subject, other.key, c1.owner);
    const c2 = await b.idempotency.claim(other);
    expect(c2.kind).toBe('claimed');
    const c3 = await a.idempotency.claim({ ...other, now: other.now + 60_001 });
    expect(c3.kind).toBe('claimed');
    if (c2.kind !== 'claimed') throw new Error('unreachable');
    expect(await b.idempotency.complete(other.subject, other.key, c2.owner, { status: 201, body: {} }, 70_000)).toBe(false);

    // The recorded outcome is sealed at rest.
    const rows = await db.sql<{ sealed: string }>('SELECT sealed FROM sprout_idempotency WHERE state = $1', ['done']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => !r.sealed.includes('Communication'))).toBe(true);
    expect(await a.idempotency.prune(1_500)).toBeGreaterThan(0);
  });

  it('two claims racing on one key: exactly one wins', async () => {
    const db = await open();
    const b = await db.reopen();
    const base = { subject: 'https://ehr/Person/maria', key: 'race-0123456789abcdef', action: 'a', fingerprint: 'f', now: 5, staleAfterMs: 60_000 };
    const results = await Promise.all([db.store.idempotency.claim(base), b.idempotency.claim(base), db.store.idempotency.claim(base), b.idempotency.claim(base)]);
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-progress')).toHaveLength(3);
  });

  it('outbox: enqueue once per dedupe key; a row is leased by one replica at a time; only the holder finishes it', async () => {
    const db = await open();
    const a = db.store;
    const b = await db.reopen();
    expect(await a.outbox.enqueue(email(1), 100)).toBe(true);
    expect(await b.outbox.enqueue(email(1), 100)).toBe(false);
    for (let n = 2; n <= 10; n++) await a.outbox.enqueue(email(n), 100);
    const [leasedA, leasedB] = await Promise.all([a.outbox.lease('A', 200, 60_000, 6), b.outbox.lease('B', 200, 60_000, 6)]);
    const ids = [...leasedA, ...leasedB].map((i) => i.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    const item = leasedA[0]!;
    expect(item).toMatchObject({ to: 'maria.rivera@example.org', language: 'es', template: 'new-message', status: 'sending', attempts: 1 });
    expect(await b.outbox.markSent(item.id, 'B', 300)).toBe(false);
    expect(await a.outbox.markSent(item.id, 'A', 300)).toBe(true);
    // Nothing is due again until a lease runs out; then the expired rows go to whoever asks.
    expect(await b.outbox.lease('B', 1_000, 60_000, 20)).toHaveLength(0);
    const retaken = await b.outbox.lease('B', 200 + 60_001, 60_000, 20);
    expect(retaken).toHaveLength(9);
    expect(retaken.every((i) => i.attempts === 2)).toBe(true);
    // A failure schedules a retry; a final failure stays failed.
    expect(await b.outbox.markFailed(retaken[0]!.id, 'B', 'Error: 451', 99_999)).toBe(true);
    expect(await b.outbox.markFailed(retaken[1]!.id, 'B', 'TemplateError', undefined)).toBe(true);
    const listed = await a.outbox.list();
    expect(listed.find((i) => i.id === retaken[0]!.id)).toMatchObject({ status: 'pending', nextAttemptAt: 99_999, lastError: 'Error: 451' });
    expect(listed.find((i) => i.id === retaken[1]!.id)).toMatchObject({ status: 'failed' });
    expect(listed.find((i) => i.id === item.id)).toMatchObject({ status: 'sent', sentAt: 300 });
    // The address is sealed at rest.
    const raw = await db.sql<{ sealed: string }>('SELECT sealed FROM sprout_outbox');
    expect(raw.every((r) => !r.sealed.includes('maria'))).toBe(true);
  });

  it('drafts are sealed, per owner, newest first; preferences default to absent; leases and watermarks', async () => {
    const db = await open();
    const s = db.store;
    await s.drafts.put({ owner: 'u1', id: 'd1', kind: 'message', data: { body: 'Leo has a rash' }, updatedAt: 1 });
    await s.drafts.put({ owner: 'u1', id: 'd2', kind: 'message', data: { body: 'second' }, updatedAt: 2 });
    await s.drafts.put({ owner: 'u2', id: 'd1', kind: 'message', data: { body: 'not yours' }, updatedAt: 3 });
    expect((await s.drafts.list('u1', 'message')).map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(await s.drafts.get('u1', 'd1')).toMatchObject({ data: { body: 'Leo has a rash' } });
    const raw = await db.sql<{ sealed: string }>('SELECT sealed FROM sprout_drafts');
    expect(raw.every((r) => !r.sealed.includes('rash'))).toBe(true);
    // A sealed draft cannot be moved to another owner's row.
    await db.sql(`UPDATE sprout_drafts SET sealed = (SELECT sealed FROM sprout_drafts WHERE owner = 'u1' AND id = 'd1') WHERE owner = 'u2'`);
    expect(await s.drafts.get('u2', 'd1')).toBeUndefined();
    // Another key ring cannot open them.
    const stranger = await db.reopen(parseSessionKeys(`other:${Buffer.alloc(32, 9).toString('base64')}`));
    expect(await stranger.drafts.get('u1', 'd1')).toBeUndefined();
    expect(await s.drafts.delete('u1', 'd1')).toBe(true);
    expect(await s.drafts.delete('u1', 'd1')).toBe(false);

    expect(await s.notificationPreferences.get('RelatedPerson/x')).toBeUndefined();
    await s.notificationPreferences.put({ person: 'RelatedPerson/x', emailEnabled: false, language: 'es', updatedAt: 5 });
    expect(await s.notificationPreferences.get('RelatedPerson/x')).toEqual({ person: 'RelatedPerson/x', emailEnabled: false, language: 'es', updatedAt: 5 });

    const b = await db.reopen();
    expect(await s.coordination.acquireLease('poller', 'A', 0, 1_000)).toBe(true);
    expect(await b.coordination.acquireLease('poller', 'B', 500, 1_000)).toBe(false);
    expect(await s.coordination.acquireLease('poller', 'A', 900, 1_000)).toBe(true);
    expect(await b.coordination.acquireLease('poller', 'B', 1_901, 1_000)).toBe(true);
    await b.coordination.releaseLease('poller', 'B');
    expect(await s.coordination.acquireLease('poller', 'A', 1_902, 1_000)).toBe(true);
    expect(await s.coordination.getWatermark('communications')).toBeUndefined();
    await s.coordination.setWatermark('communications', '2026-03-01T00:00:00Z', 1);
    expect(await b.coordination.getWatermark('communications')).toBe('2026-03-01T00:00:00Z');
  });
});
