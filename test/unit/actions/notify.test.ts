/**
 * Notification email end to end on real parts: the outbox on a real store (two stores on one database = two
 * replicas), two senders draining it at once through nodemailer into the development SMTP server — each email arrives
 * exactly once, in the person's language, with no health information; refusals are retried with backoff; opted-out
 * people get nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { createSmtpMailer } from '../../../gateway/src/notify/mailer.ts';
import { isDeliverableAddress, notifyPerson } from '../../../gateway/src/notify/notify.ts';
import { nextAttemptAt, MAX_EMAIL_ATTEMPTS } from '../../../gateway/src/notify/retry.ts';
import { createOutboxSender } from '../../../gateway/src/notify/sender.ts';
import { renderEmail, TemplateError } from '../../../gateway/src/notify/templates.ts';
import { startDevMailServer, type DevMailServer } from '../../../sandbox/src/smtp/dev-mail-server.ts';
import { backends, type OpenedBackend } from '../gateway/support/store-backends.ts';

let mail: DevMailServer;
beforeAll(async () => {
  mail = await startDevMailServer();
});
afterAll(async () => {
  await mail?.close();
});

const logger = createLogger('silent');
const LINK = 'https://portal.example.org/messages';

describe('email templates', () => {
  it('say only "look in Sprout", in English or Spanish, with the link', () => {
    const en = renderEmail('new-message', 'en', { link: LINK });
    expect(en.subject).toBe('You have a new message in Sprout');
    expect(en.text).toContain(LINK);
    const es = renderEmail('new-message', 'es', { link: LINK });
    expect(es.subject).toBe('Tiene un mensaje nuevo en Sprout');
    expect(es.html).toContain('lang="es"');
  });

  it('refuse params a template does not declare (a child name, a subject) and links that are not http(s)', () => {
    expect(() => renderEmail('new-message', 'en', { link: LINK, subject: 'Leo rash' })).toThrow(TemplateError);
    expect(() => renderEmail('new-message', 'en', { link: 'javascript:alert(1)' })).toThrow(TemplateError);
    expect(() => renderEmail('no-such-template', 'en', { link: LINK })).toThrow(TemplateError);
  });

  it('retry later and later, then give up', () => {
    expect(nextAttemptAt(0, 1)).toBe(30_000);
    expect(nextAttemptAt(0, 2)).toBe(60_000);
    expect(nextAttemptAt(0, 7)).toBe(32 * 60_000);
    expect(nextAttemptAt(0, 12, 20)).toBe(60 * 60_000);
    expect(nextAttemptAt(0, MAX_EMAIL_ATTEMPTS)).toBeUndefined();
    expect(isDeliverableAddress('maria.rivera@example.org')).toBe(true);
    expect(isDeliverableAddress('maria@example.org\r\nBcc: x@evil.test')).toBe(false);
    expect(isDeliverableAddress('Maria <maria@example.org>')).toBe(false);
  });
});

describe.each(backends)('the outbox sender on $name', (backend) => {
  let db: OpenedBackend;
  afterAll(async () => {
    await db?.close();
  });

  it('two replicas draining one outbox at once deliver each email exactly once, in the person’s language', async () => {
    db = await backend.open();
    const replicaA = db.store;
    const replicaB = await db.reopen();
    let now = 1_000;
    const clock = { now: () => now };
    const run = `${backend.name}-${Date.now()}`;
    await replicaA.notificationPreferences.put({ person: 'RelatedPerson/daniel', emailEnabled: false, language: 'en', updatedAt: 0 });
    await replicaA.notificationPreferences.put({ person: 'Patient/isabel', emailEnabled: true, language: 'es', updatedAt: 0 });
    const outcomes = [];
    for (let n = 0; n < 12; n++) {
      // Both replicas learn of every event (a poll each): the dedupe key keeps it to one email.
      for (const store of [replicaA, replicaB]) {
        outcomes.push(
          await notifyPerson(
            { outbox: store.outbox, preferences: store.notificationPreferences, clock },
            { person: 'RelatedPerson/maria', email: `maria+${run}@example.org`, dedupeKey: `${run}:m${n}:maria`, template: 'new-message', params: { link: LINK } },
          ),
        );
      }
    }
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(12);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(12);
    const deps = (store: typeof replicaA) => ({ outbox: store.outbox, preferences: store.notificationPreferences, clock });
    expect(await notifyPerson(deps(replicaA), { person: 'RelatedPerson/daniel', email: `daniel+${run}@example.org`, dedupeKey: `${run}:d`, template: 'new-message', params: { link: LINK } })).toBe('opted-out');
    expect(await notifyPerson(deps(replicaA), { person: 'Patient/isabel', email: `isabel+${run}@example.org`, dedupeKey: `${run}:i`, template: 'new-message', params: { link: LINK }, language: 'en' })).toBe('queued');
    expect(await notifyPerson(deps(replicaA), { person: 'RelatedPerson/nobody', email: undefined, dedupeKey: `${run}:n`, template: 'new-message', params: { link: LINK } })).toBe('no-address');

    const senders = [replicaA, replicaB].map((store, i) =>
      createOutboxSender({ outbox: store.outbox, mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: 'Sprout <no-reply@portal.example.org>' }), clock, logger, messageIdDomain: 'portal.example.org', owner: `replica-${i}` }),
    );
    // Rounds on both replicas at the same time until nothing is left.
    for (let round = 0; round < 5; round++) await Promise.all(senders.map((s) => s.runOnce()));
    const mine = mail.messages().filter((m) => m.envelopeTo.some((to) => to.includes(`+${run}@`)));
    const toMaria = mine.filter((m) => m.envelopeTo[0] === `maria+${run}@example.org`);
    expect(toMaria).toHaveLength(12);
    expect(new Set(toMaria.map((m) => m.messageId)).size).toBe(12);
    expect(toMaria.every((m) => m.subject === 'You have a new message in Sprout' && m.text.includes(LINK))).toBe(true);
    const toIsabel = mine.filter((m) => m.envelopeTo[0] === `isabel+${run}@example.org`);
    expect(toIsabel.map((m) => [m.subject, m.language])).toEqual([['Tiene un mensaje nuevo en Sprout', 'es']]);
    expect(mine.some((m) => m.envelopeTo[0] === `daniel+${run}@example.org`)).toBe(false);
    expect((await replicaB.outbox.list({ limit: 100 })).every((i) => i.status === 'sent')).toBe(true);

    // A refusing server: the email waits for its backoff, then goes once.
    await notifyPerson(deps(replicaB), { person: 'RelatedPerson/maria', email: `retry+${run}@example.org`, dedupeKey: `${run}:retry`, template: 'new-message', params: { link: LINK } });
    mail.refuseNext(2);
    expect(await senders[0]!.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await senders[1]!.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
    now += 30_000;
    expect(await senders[1]!.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    now += 60_000;
    expect(await senders[0]!.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(mail.messages().filter((m) => m.envelopeTo[0] === `retry+${run}@example.org`)).toHaveLength(1);
    const item = (await replicaA.outbox.list()).find((i) => i.dedupeKey === `${run}:retry`);
    expect(item).toMatchObject({ status: 'sent', attempts: 3 });
  }, 60_000);
});
