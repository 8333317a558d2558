/**
 * The loop from the clinician to the family's inbox by email: dr.shah replies in the sandbox EHR's clinician area,
 * the gateway's poller (SMART Backend Services token: client_credentials against the sandbox) sees the new
 * Communication, and exactly one "new message" email per family recipient reaches the development SMTP server — even
 * with two replicas polling and sending; a reply confidential to the patient is emailed to the patient only; no email
 * carries health information.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { createBackendTokenSource } from '../../../gateway/src/notify/backend-token.ts';
import { createSmtpMailer } from '../../../gateway/src/notify/mailer.ts';
import { createMessagePoller } from '../../../gateway/src/notify/message-poller.ts';
import { createOutboxSender } from '../../../gateway/src/notify/sender.ts';
import { startDevMailServer, type DevMailServer } from '../../../sandbox/src/smtp/dev-mail-server.ts';
import { EhrClient } from '../actions/support/ehr-client.ts';
import { backends, type OpenedBackend } from '../gateway/support/store-backends.ts';
import { startTestPortal, type TestPortal } from './support/portal.ts';

let portal: TestPortal;
let mail: DevMailServer;
beforeAll(async () => {
  portal = await startTestPortal();
  mail = await startDevMailServer();
}, 60_000);
afterAll(async () => {
  await mail?.close();
  await portal?.close();
});

const logger = createLogger('silent');
const clock = { now: () => Date.now() };

describe.each(backends)('new clinician messages become one email each ($name)', (backend) => {
  let db: OpenedBackend;
  afterAll(async () => {
    await db?.close();
  });

  it('two replicas poll and send: one email per recipient, confidential replies only to the patient', async () => {
    db = await backend.open();
    const stores = [db.store, await db.reopen()];
    const config = { fhirBaseUrl: portal.sandbox.fhirBaseUrl, allowedAuthOrigins: [], clientId: 'sprout-portal', clientSecret: 'messages-test-secret', clientAuthMethod: 'auto' as const, clientSigningKeys: [] };
    const replicas = stores.map((store, i) => {
      const upstream = createFetchUpstream({ baseUrl: portal.sandbox.fhirBaseUrl, getAccessToken: createBackendTokenSource({ config, fetch: globalThis.fetch, clock }), timeoutMs: 15_000, maxBytes: 16 * 1024 * 1024, retries: 0 });
      return {
        // Replica 1's lease is short-lived so it may take over; both run every round.
        poller: createMessagePoller({ store, upstream, clock, logger, publicUrl: 'https://portal.example.org', owner: `replica-${i}`, leaseMs: 1 }),
        sender: createOutboxSender({ outbox: store.outbox, mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: 'Sprout <no-reply@portal.example.org>' }), clock, logger, messageIdDomain: 'portal.example.org', owner: `replica-${i}` }),
      };
    });
    // The first poll sets the watermark (history is not announced).
    await Promise.all(replicas.map((r) => r.poller.runOnce()));

    const clinician = new EhrClient(portal.sandbox.url);
    await clinician.signIn('dr.shah', portal.sandbox.password);
    const marker = randomBytes(6).toString('hex');
    const reply = new FormData();
    reply.set('csrf', clinician.csrf);
    reply.set('body', `Leo's rash is nothing to worry about (${marker}).`);
    reply.append('attachment', new File([new Uint8Array(Buffer.from('%PDF-1.4\nrash care sheet\n%%EOF'))], 'rash care.pdf', { type: 'application/pdf' }));
    expect((await clinician.request('/ehr/messages/msg-leo-feeding', reply)).status).toBe(303);
    const confidential = new FormData();
    confidential.set('csrf', clinician.csrf);
    confidential.set('body', `Your results are fine (${marker}).`);
    confidential.set('confidential', 'yes');
    expect((await clinician.request('/ehr/messages/msg-isabel-private', confidential)).status).toBe(303);

    const before = mail.messages().length;
    for (let round = 0; round < 3; round++) {
      await Promise.all(replicas.map((r) => r.poller.runOnce()));
      await Promise.all(replicas.map((r) => r.sender.runOnce()));
    }
    const sent = mail.messages().slice(before);
    expect(sent.map((m) => m.envelopeTo[0]).sort()).toEqual(['isabel.r@example.org', 'maria.rivera@example.org']);
    for (const email of sent) {
      expect(email.subject).toBe('You have a new message in Sprout');
      expect(email.text).toContain('https://portal.example.org/messages');
      expect(email.text).not.toContain(marker);
      expect(email.text).not.toMatch(/rash|results|Leo|Isabel|Shah/i);
    }
    // The clinician's reply is in the EHR with its attachment, the Binary's securityContext pointing at it.
    const page = await (await clinician.request('/ehr/messages/msg-leo-feeding')).text();
    expect(page).toContain(marker);
    expect(page).toContain('rash care.pdf');
  }, 90_000);
});
