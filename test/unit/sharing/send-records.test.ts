/**
 * Sending records to another physician over Direct (gateway/src/records-transfer) against the real sandbox EHR, a
 * real store, the shared outbox sender and the development SMTP server: the documents arrive attached with no
 * health information in the subject; the disclosure is a Communication, audited, and listed in "Sent records" with
 * its delivery status; a relay refusal is retried; bad addresses, documents the sender may not see and double
 * submission are handled.
 */
import { randomBytes } from 'node:crypto';
import type { Bundle, Communication } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { createSmtpMailer } from '../../../gateway/src/notify/mailer.ts';
import { createOutboxSender, type OutboxSender } from '../../../gateway/src/notify/sender.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { createDirectRoute } from '../../../gateway/src/records-transfer/direct-delivery.ts';
import { createRecordsTransferRoutes } from '../../../gateway/src/records-transfer/send-records.ts';
import { DIRECT_TEMPLATE } from '../../../gateway/src/records-transfer/transfer-records.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { AuditRecord, Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { startDevMailServer, type DevMailServer } from '../../../sandbox/src/smtp/dev-mail-server.ts';
import { appFor, signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';

let sandbox: RunningSandbox;
let store: Store;
let mail: DevMailServer;
let maria: SignedInUser;
let sender: OutboxSender;
let direct: ReturnType<typeof createDirectRoute>;
let now = Date.now();
const clock = { now: () => now };
const logger = createLogger('silent');
const audits: AuditRecord[] = [];
const TO = 'dr.lee@direct.eastside-pediatrics.example';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  mail = await startDevMailServer();
  const opened = await openPgliteStore();
  store = { ...opened, audit: { ...opened.audit, append: async (record) => { audits.push(record); await opened.audit.append(record); } } };
  maria = await signInToSandbox(sandbox, 'maria');
  direct = createDirectRoute({ store, clock, logger, smtpUrl: mail.smtpUrl, from: 'records@direct.sprout-childrens.example' });
  sender = createOutboxSender({
    outbox: store.outbox, clock, logger, messageIdDomain: 'portal.example.org',
    mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: 'Sprout <no-reply@portal.example.org>' }),
    routes: { [DIRECT_TEMPLATE]: direct },
  });
}, 60_000);
afterAll(async () => {
  direct?.close();
  await mail?.close();
  await store?.close();
  await sandbox?.close();
});

const newKey = () => randomBytes(18).toString('base64url');
const records = (profile: keyof typeof BUILTIN_PROFILES = 'ca-strict') =>
  appFor(maria, sandbox, (a) => a.route('/api/records', createRecordsTransferRoutes({ store, clock, profile: BUILTIN_PROFILES[profile], logger, trustDomains: [] })));
const send = (body: unknown, key = newKey(), language = 'en', profile: keyof typeof BUILTIN_PROFILES = 'ca-strict') =>
  records(profile).request('/api/records/send', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'accept-language': language }, body: JSON.stringify(body) });
const sentList = async () => ((await (await records().request('/api/records/sent')).json()) as { sent: { transfer: string; patientId: string; to: string; documents: string[]; status: string }[] }).sent;
const codeOf = async (response: Response) => ((await response.json()) as { issue: { details: { coding: { code: string }[]; text: string } }[] }).issue[0]?.details;

describe('sending records over Direct', () => {
  it("delivers the infant's discharge document, a health summary and the immunization record, and lists the disclosure", async () => {
    const response = await send({ patientId: 'leo-rivera', to: TO, note: 'For Leo\'s first visit on Monday.', documents: [{ kind: 'document', id: 'leo-ed-discharge' }, { kind: 'summary' }, { kind: 'immunizations' }] });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { transfer: string; status: string; communication: string };
    expect(accepted.status).toBe('queued');
    expect((await sentList()).find((s) => s.transfer === accepted.transfer)?.status).toBe('queued');

    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    const received = await mail.waitFor((m) => m.to.includes(TO));
    expect(received.attachments.map((a) => a.contentType)).toEqual(['text/plain', 'application/pdf', 'application/pdf']);
    expect(received.attachments[1]?.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    // No health information (no name, no document title, no condition) in the subject.
    expect(received.subject).toMatch(/^Records from Sprout Children's Hospital \(ref [A-Za-z0-9_-]{8}\)$/);
    expect(received.text).toContain("For Leo's first visit on Monday.");

    const stored = await maria.upstream().getJson(accepted.communication);
    const communication = (stored.ok ? stored.resource : undefined) as Communication | undefined;
    expect(communication?.recipient?.[0]?.display).toBe(TO);
    expect(communication?.payload?.[0]?.contentReference?.reference).toBe('DocumentReference/leo-ed-discharge');
    expect(audits.some((a) => a.action === 'action:records.send-direct' && a.outcome === 'allowed' && a.returned.includes(accepted.communication))).toBe(true);
    const listed = (await sentList()).find((s) => s.transfer === accepted.transfer);
    expect(listed).toMatchObject({ patientId: 'leo-rivera', to: TO, status: 'sent' });
    expect(listed?.documents).toEqual(['Emergency department discharge instructions', 'Health summary', 'Immunization record']);
  });

  it('a refusing relay loses nothing: the send is retried and its status shows it', async () => {
    mail.refuseNext(1);
    const response = await send({ patientId: 'sofia-rivera', to: TO, note: '', documents: [{ kind: 'document', id: 'sofia-visit-summary' }] });
    const { transfer } = (await response.json()) as { transfer: string };
    expect(await sender.runOnce()).toMatchObject({ retried: 1 });
    expect((await sentList()).find((s) => s.transfer === transfer)?.status).toBe('retrying');
    now += 60_000; // past the first backoff
    expect(await sender.runOnce()).toMatchObject({ sent: 1 });
    expect((await sentList()).find((s) => s.transfer === transfer)?.status).toBe('sent');
  });

  it('a double submission sends once', async () => {
    const key = newKey();
    const body = { patientId: 'leo-rivera', to: TO, note: 'twice?', documents: [{ kind: 'immunizations' }] };
    const first = (await (await send(body, key)).json()) as { communication: string };
    const second = await send(body, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { communication: string }).communication).toBe(first.communication);
    await sender.runOnce();
    expect(mail.messages().filter((m) => m.text.includes('twice?')).length).toBe(1);
    const search = await maria.upstream().getJson('Communication?subject=Patient/leo-rivera&category=urn:sprout:communication-category|records-disclosure&_count=100');
    const notes = ((search.ok ? search.resource : {}) as Bundle).entry?.filter((e) => JSON.stringify(e.resource).includes('twice?')) ?? [];
    expect(notes.length).toBe(1);
  });

  it('refuses malformed and foreign addresses, in Spanish too', async () => {
    const documents = [{ kind: 'summary' }];
    for (const [to, code] of [['not an address', 'direct-address-malformed'], ['dr.lee@', 'direct-address-malformed'], ['dr.lee@gmail.com', 'direct-address-foreign']] as const) {
      const response = await send({ patientId: 'leo-rivera', to, note: '', documents }, newKey(), 'es');
      expect(response.status).toBe(400);
      const details = await codeOf(response);
      expect(details?.coding[0]?.code).toBe(code);
      expect(details?.text).toMatch(/dirección/);
    }
  });

  it("refuses documents the sender may not see — hidden, another child's, absent — all alike, and sends nothing", async () => {
    const before = mail.messages().length;
    // Under ca-adolescent-split Maria sees part of Isabel's record, never the behavioral-health note.
    const hidden = await send({ patientId: 'isabel-rivera', to: TO, note: '', documents: [{ kind: 'document', id: 'isabel-bh-note' }] }, newKey(), 'en', 'ca-adolescent-split');
    const otherChild = await send({ patientId: 'leo-rivera', to: TO, note: '', documents: [{ kind: 'document', id: 'sofia-visit-summary' }] });
    const absent = await send({ patientId: 'leo-rivera', to: TO, note: '', documents: [{ kind: 'document', id: 'no-such-document' }] });
    for (const response of [hidden, otherChild, absent]) {
      expect(response.status).toBe(403);
      expect((await codeOf(response))?.coding[0]?.code).toBe('document-not-permitted');
    }
    // Under ca-strict a guardian of a 12–17-year-old sees no record at all: nothing can be sent from it.
    const teen = await send({ patientId: 'isabel-rivera', to: TO, note: '', documents: [{ kind: 'summary' }] });
    expect(teen.status).toBe(403);
    expect((await codeOf(teen))?.coding[0]?.code).toBe('not-permitted');
    await sender.runOnce();
    expect(mail.messages().length).toBe(before);
  });

  it("builds the teen's health summary only from what her guardian sees", async () => {
    const response = await send({ patientId: 'isabel-rivera', to: TO, note: 'summary-of-isabel', documents: [{ kind: 'summary' }] }, newKey(), 'en', 'ca-adolescent-split');
    expect(response.status).toBe(202);
    await sender.runOnce();
    const received = await mail.waitFor((m) => m.text.includes('summary-of-isabel'));
    const pdf = received.attachments[0]?.content.toString('latin1') ?? '';
    expect(pdf).toContain('Albuterol HFA inhaler');
    expect(pdf).not.toMatch(/hlamydia|nxiety|zithromycin|Yaz|drospirenone/i);
  });
});
