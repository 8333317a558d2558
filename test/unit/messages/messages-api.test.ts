/**
 * Messaging through the whole gateway over the real sandbox EHR: inbox and threads judged by the policy (the teen's
 * confidential thread never reaches a guardian), send with attachments stored as Communication + Binary
 * (securityContext = the Communication), recipients only from the care team, bad input refused in English and
 * Spanish, idempotent sends, drafts sealed server-side, the policy matrix for who may message about whom.
 */
import { randomBytes } from 'node:crypto';
import type { Binary, Communication } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, signIn, type SignedIn, type TestPortal } from './support/portal.ts';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
}, 60_000);
afterAll(async () => {
  await portal?.close();
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);
const EXE = Buffer.concat([Buffer.from('MZ'), randomBytes(512)]);
const key = () => randomBytes(18).toString('base64url');

function form(fields: Record<string, string>, files: { name: string; data: Buffer; type?: string }[] = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const file of files) f.append('attachment', new File([new Uint8Array(file.data)], file.name, { type: file.type ?? 'application/pdf' }));
  return f;
}

const code = async (response: Response) =>
  ((await response.json()) as { issue: { details: { coding: { code: string }[]; text: string } }[] }).issue[0]?.details;

async function fhirRead<T>(reference: string): Promise<T> {
  const response = await fetch(`${portal.sandbox.fhirBaseUrl}/${reference}`, { headers: { authorization: `Bearer ${await ehrToken()}`, accept: 'application/fhir+json' } });
  return (await response.json()) as T;
}

let cachedToken: string | undefined;
async function ehrToken(): Promise<string> {
  // Read the EHR directly as the clinician would (the tests' own view of what was stored).
  if (cachedToken !== undefined) return cachedToken;
  const { obtainCode, tokenRequest } = await import('../sandbox/oauth-driver.ts');
  const { code: authCode, verifier } = await obtainCode(
    { issuer: portal.sandbox.issuer, fhirBaseUrl: portal.sandbox.fhirBaseUrl, clientId: 'sprout-portal', redirectUri: 'http://127.0.0.1:9/callback', scope: 'openid fhirUser user/*.rs' },
    'dr.shah',
    portal.sandbox.password,
  );
  const token = await tokenRequest(portal.sandbox.issuer, 'sprout-portal', 'messages-test-secret', { grant_type: 'authorization_code', code: authCode, code_verifier: verifier, redirect_uri: 'http://127.0.0.1:9/callback' });
  cachedToken = String(token.json['access_token']);
  return cachedToken;
}

describe('messaging through the gateway', () => {
  let maria: SignedIn;
  beforeAll(async () => {
    maria = await signIn(portal, 'ca-strict', 'maria');
  }, 60_000);

  it('lists the family’s seeded threads newest first, with unread replies, and never the teen’s own thread', async () => {
    const response = await maria.get('/api/messages');
    expect(response.status).toBe(200);
    const inbox = (await response.json()) as { threads: { id: string; subject: string; unread: boolean; lastSender: { name: string; role?: string } }[]; patients: { id: string; canMessage: boolean }[] };
    const ids = inbox.threads.map((t) => t.id);
    expect(ids).toContain('msg-leo-feeding');
    expect(ids).toContain('msg-sofia-school-form');
    expect(ids).not.toContain('msg-isabel-private');
    expect(JSON.stringify(inbox)).not.toContain('prescription');
    const leo = inbox.threads.find((t) => t.id === 'msg-leo-feeding');
    expect(leo).toMatchObject({ unread: true, lastSender: { role: 'Pediatrics' } });
    expect(leo?.lastSender.name).toContain('Priya Shah');
    expect(ids.indexOf('msg-leo-feeding')).toBeLessThan(ids.indexOf('msg-sofia-school-form'));
    // Under ca-strict a guardian may not message about the 12–17-year-olds.
    expect(inbox.patients.find((p) => p.id === 'isabel-rivera')?.canMessage ?? false).toBe(false);
    expect(inbox.patients.find((p) => p.id === 'leo-rivera')?.canMessage).toBe(true);
    // Opening the thread marks it read.
    const thread = await maria.get('/api/messages/threads/msg-leo-feeding');
    expect(thread.status).toBe(200);
    const body = (await thread.json()) as { messages: { id: string }[] };
    expect(body.messages.map((m) => m.id)).toEqual(['msg-leo-feeding', 'msg-leo-feeding-reply']);
    const again = (await (await maria.get('/api/messages')).json()) as { threads: { id: string; unread: boolean }[] };
    expect(again.threads.find((t) => t.id === 'msg-leo-feeding')?.unread).toBe(false);
    // The teen's thread by id is the same 404 as a thread that does not exist.
    const hidden = await maria.get('/api/messages/threads/msg-isabel-private');
    const missing = await maria.get('/api/messages/threads/no-such-thread');
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).toBe(await missing.text());
  });

  it('filters by child and searches the text', async () => {
    const sofia = (await (await maria.get('/api/messages?patient=sofia-rivera')).json()) as { threads: { id: string }[] };
    expect(sofia.threads.map((t) => t.id)).toEqual(['msg-sofia-school-form']);
    const search = (await (await maria.get('/api/messages?q=BRONCHIOLITIS')).json()) as { threads: { id: string }[] };
    expect(search.threads.map((t) => t.id)).toEqual(['msg-leo-feeding']);
    const paged = (await (await maria.get('/api/messages?limit=1')).json()) as { threads: unknown[]; nextOffset?: number };
    expect(paged.threads).toHaveLength(1);
    expect(paged.nextOffset).toBe(1);
  });

  it('offers only the child’s care team as recipients', async () => {
    const leo = (await (await maria.get('/api/messages/recipients?patient=leo-rivera')).json()) as { recipients: { reference: string; name: string; role?: string }[] };
    expect(leo.recipients.map((r) => r.reference)).toContain('Practitioner/priya-shah');
    expect(leo.recipients.every((r) => r.reference.startsWith('Practitioner'))).toBe(true);
    const teen = (await (await maria.get('/api/messages/recipients?patient=isabel-rivera')).json()) as { recipients: unknown[] };
    expect(teen.recipients).toEqual([]);
  });

  it('sends a message with a PDF: a Communication and a Binary whose securityContext is it; a retry sends nothing more', async () => {
    const k = key();
    const subject = `Rash question ${k}`;
    const fields = { patientId: 'leo-rivera', recipient: 'Practitioner/priya-shah', subject, body: 'Leo has a small rash on his arm. <script>alert(1)</script>' };
    const sent = await maria.send(form(fields, [{ name: '../../photos/rash report.pdf', data: PDF }]), k);
    expect(sent.status).toBe(201);
    const result = (await sent.json()) as { id: string; threadId: string };
    const stored = await fhirRead<Communication>(`Communication/${result.id}`);
    expect(stored).toMatchObject({ status: 'completed', subject: { reference: 'Patient/leo-rivera' }, sender: { reference: 'RelatedPerson/maria-rivera-for-leo' }, recipient: [{ reference: 'Practitioner/priya-shah' }], topic: { text: subject } });
    const attachment = stored.payload?.find((p) => p.contentAttachment)?.contentAttachment;
    expect(attachment).toMatchObject({ contentType: 'application/pdf', title: 'rash report.pdf', size: PDF.length });
    const binary = await fhirRead<Binary>(attachment?.url ?? '');
    expect(binary.securityContext?.reference).toBe(`Communication/${result.id}`);
    expect(Buffer.from(binary.data ?? '', 'base64').equals(PDF)).toBe(true);
    // The same click again: the recorded answer, no second Communication.
    const retry = await maria.send(form(fields, [{ name: '../../photos/rash report.pdf', data: PDF }]), k);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const inbox = (await (await maria.get(`/api/messages?q=${encodeURIComponent(k)}`)).json()) as { threads: { id: string; messageCount: number }[] };
    expect(inbox.threads).toHaveLength(1);
    // The thread shows the markup as text (the API returns it verbatim; the app renders text), and the attachment downloads.
    const thread = (await (await maria.get(`/api/messages/threads/${result.threadId}`)).json()) as { messages: { body: string; attachments: { binaryId: string; name: string }[] }[] };
    expect(thread.messages[0]?.body).toContain('<script>alert(1)</script>');
    const download = await maria.get(`/api/messages/${result.id}/attachments/${thread.messages[0]?.attachments[0]?.binaryId}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('refuses bad input with a clear message in the person’s language, and stores nothing', async () => {
    const base = { patientId: 'leo-rivera', recipient: 'Practitioner/priya-shah', subject: 'Hello', body: 'Hello' };
    const cases: [FormData, number, string][] = [
      [form({ ...base, body: '   ' }), 400, 'empty-body'],
      [form({ ...base, recipient: 'Practitioner/marcus-lee' }), 400, 'recipient-not-in-care-team'],
      [form({ ...base, recipient: 'mailto:someone@example.org' }), 400, 'recipient-not-in-care-team'],
      [form(base, [{ name: 'invoice.pdf', data: EXE }]), 415, 'attachment-type'],
      [form(base, [{ name: 'big.pdf', data: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) }]), 413, 'attachment-too-large'],
      [form(base, Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.png`, data: PNG, type: 'image/png' }))), 400, 'too-many-attachments'],
      [form({ ...base, patientId: 'isabel-rivera' }), 403, 'not-permitted'],
    ];
    for (const [body, status, expected] of cases) {
      const spanish = await maria.send(body, key(), 'es');
      expect(spanish.status, expected).toBe(status);
      const es = await code(spanish);
      expect(es?.coding[0]?.code).toBe(expected);
      const en = await code(await maria.send(body, key(), 'en'));
      expect(en?.coding[0]?.code).toBe(expected);
      expect(es?.text).not.toBe(en?.text);
    }
    // Without the CSRF header the request never reaches the action.
    const noCsrf = await maria.browser.request('/api/messages', { method: 'POST', body: form(base), headers: { 'idempotency-key': key() } });
    expect(noCsrf.status).toBe(403);
  });

  it('an EHR that fails keeps the message as a draft waiting to send; the retry with the same key sends it once', async () => {
    const k = key();
    const draftId = `draft-${k.slice(0, 12)}`;
    const fields = { patientId: 'sofia-rivera', recipient: 'Practitioner/priya-shah', subject: `Retry ${k}`, body: 'Sofia needs a school note.', draftId };
    portal.failWrites = true;
    let failed: Response;
    try {
      failed = await maria.send(form(fields, [{ name: 'note.pdf', data: PDF }]), k, 'es');
    } finally {
      portal.failWrites = false;
    }
    expect(failed.status).toBe(503);
    const details = await code(failed);
    expect(details?.coding[0]?.code).toBe('saved-will-retry');
    expect(details?.text).toMatch(/^No pudimos comunicarnos con el hospital/);
    const drafts = (await (await maria.get('/api/messages/drafts')).json()) as { drafts: { id: string; body: string; outbox?: { status: string; idempotencyKey: string; attachmentNames: string[] } }[] };
    expect(drafts.drafts.find((d) => d.id === draftId)).toMatchObject({ body: 'Sofia needs a school note.', outbox: { status: 'waiting', idempotencyKey: k, attachmentNames: ['note.pdf'] } });
    const retried = await maria.send(form(fields, [{ name: 'note.pdf', data: PDF }]), k);
    expect(retried.status).toBe(201);
    const again = await maria.send(form(fields, [{ name: 'note.pdf', data: PDF }]), k);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const inbox = (await (await maria.get(`/api/messages?q=${encodeURIComponent(`Retry ${k}`)}`)).json()) as { threads: { messageCount: number }[] };
    expect(inbox.threads).toEqual([expect.objectContaining({ messageCount: 1 })]);
    // Sent: the draft is gone.
    const after = (await (await maria.get('/api/messages/drafts')).json()) as { drafts: { id: string }[] };
    expect(after.drafts.some((d) => d.id === draftId)).toBe(false);
  });

  it('keeps the person’s email choice (on by default) and language', async () => {
    expect(await (await maria.get('/api/notifications/preferences')).json()).toEqual({ emailEnabled: true, language: 'en' });
    expect((await maria.json('PUT', '/api/notifications/preferences', { emailEnabled: false, language: 'es' })).status).toBe(200);
    expect(await (await maria.get('/api/notifications/preferences')).json()).toEqual({ emailEnabled: false, language: 'es' });
    expect(await portal.store.notificationPreferences.get('Person/maria-rivera')).toMatchObject({ emailEnabled: false, language: 'es' });
    const bad = await maria.json('PUT', '/api/notifications/preferences', { emailEnabled: 'yes', language: 'fr' });
    expect(bad.status).toBe(400);
    expect((await maria.json('PUT', '/api/notifications/preferences', { emailEnabled: true, language: 'en' })).status).toBe(200);
  });

  it('keeps drafts server-side, sealed, per person', async () => {
    const id = `draft-${key().slice(0, 12)}`;
    expect((await maria.json('PUT', `/api/messages/drafts/${id}`, { patientId: 'leo-rivera', subject: 'Draft subject', body: 'Half a thought' })).status).toBe(200);
    const drafts = (await (await maria.get('/api/messages/drafts')).json()) as { drafts: { id: string; body: string }[] };
    expect(drafts.drafts.find((d) => d.id === id)?.body).toBe('Half a thought');
    const daniel = await signIn(portal, 'ca-strict', 'daniel');
    const his = (await (await daniel.get('/api/messages/drafts')).json()) as { drafts: { id: string }[] };
    expect(his.drafts.some((d) => d.id === id)).toBe(false);
    expect((await maria.json('DELETE', `/api/messages/drafts/${id}`, {})).status).toBe(204);
  });
});

describe('who may message about whom (profile × age band × role)', () => {
  const teen = { patientId: 'isabel-rivera', recipient: 'Practitioner/priya-shah', subject: 'Asthma refill', body: 'Could Isabel get a refill of her inhaler?' };
  const child = { patientId: 'sofia-rivera', recipient: 'Practitioner/priya-shah', subject: 'Fever', body: 'Sofia has had a fever since yesterday.' };

  it.each([
    ['ca-strict', 'maria', child, 201],
    ['ca-strict', 'maria', teen, 403],
    ['ca-strict', 'daniel', teen, 403],
    ['ca-strict-messaging', 'maria', teen, 201],
    ['ca-strict-messaging', 'daniel', teen, 201],
    ['ca-adolescent-split', 'maria', child, 201],
  ] as const)('%s: %s about %s → %i', async (profile, user, fields, status) => {
    const person = await signIn(portal, profile, user);
    const response = await person.send(form(fields), key());
    expect(response.status).toBe(status);
  });

  it('a guardian who may message about the teen sees their own thread but never the teen’s, on any profile', async () => {
    for (const profile of ['ca-strict', 'ca-strict-messaging', 'ca-adolescent-split'] as const) {
      for (const user of ['maria', 'daniel']) {
        const person = await signIn(portal, profile, user);
        const inbox = await (await person.get('/api/messages?patient=isabel-rivera')).text();
        expect(inbox, `${profile}/${user}`).not.toContain('msg-isabel-private');
        expect(inbox).not.toContain('prescription');
      }
    }
  });

  it('the teen (her own login under ca-adolescent-split) sees her own confidential thread and may reply', async () => {
    const isabel = await signIn(portal, 'ca-adolescent-split', 'isabel');
    const inbox = (await (await isabel.get('/api/messages')).json()) as { threads: { id: string }[] };
    expect(inbox.threads.map((t) => t.id)).toContain('msg-isabel-private');
    const reply = await isabel.send(form({ patientId: 'isabel-rivera', recipient: 'Practitioner/priya-shah', inResponseTo: 'msg-isabel-private', body: 'Thank you!' }), key());
    expect(reply.status).toBe(201);
  });
});
