/**
 * Delivery of records transfers over Direct, as an outbox route (notify/sender.ts `routes`): the outbox row (template
 * "direct-records", params { transfer }) gives exactly-once delivery across replicas and retries with backoff when the
 * HISP refuses or times out; this route composes the message from the sealed transfer record and records each
 * attempt's outcome on it (status shown in "Sent records").
 *
 * The subject never carries health information (no child's name, no document titles): "Records from Sprout
 * Children's Hospital (ref …)". The body has the family's note and the list of attached files.
 */
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import { createSmtpMailer } from '../notify/mailer.ts';
import type { OutboxRoute } from '../notify/sender.ts';
import { TemplateError } from '../notify/templates.ts';
import type { Store } from '../store/types.ts';
import { readTransfer, saveTransfer } from './transfer-records.ts';

export const DIRECT_SUBJECT = "Records from Sprout Children's Hospital";

export function createDirectRoute(deps: { readonly store: Store; readonly clock: Clock; readonly logger: Logger; readonly smtpUrl: string; readonly from: string }): OutboxRoute & { close(): void } {
  const mailer = createSmtpMailer({ smtpUrl: deps.smtpUrl, from: deps.from });
  return {
    mailer,
    close: () => mailer.close(),
    async compose(item) {
      const id = item.params['transfer'];
      const record = id === undefined ? undefined : await readTransfer(deps.store, id);
      if (record === undefined) throw new TemplateError(`records transfer ${id ?? '(none)'} is missing`);
      const files = record.attachments.map((a) => `- ${a.filename}`).join('\n');
      const text = [
        'A family sent you these records through Sprout, the patient portal of Sprout Children\'s Hospital.',
        record.note === '' ? '' : `Note from the family:\n${record.note}`,
        `Attached:\n${files}`,
        `Reference: ${record.id}`,
      ].filter((p) => p !== '').join('\n\n');
      const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      return {
        to: record.to,
        language: 'en',
        subject: `${DIRECT_SUBJECT} (ref ${record.id.slice(0, 8)})`,
        text,
        html: text.split('\n\n').map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`).join(''),
        attachments: record.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
      };
    },
    async settled(item, outcome) {
      try {
        const id = item.params['transfer'];
        const record = id === undefined ? undefined : await readTransfer(deps.store, id);
        if (record === undefined) return;
        await saveTransfer(deps.store, outcome.sent
          ? { ...record, status: 'sent', attempts: record.attempts + 1, sentAt: deps.clock.now() }
          : { ...record, status: outcome.retryAt === undefined ? 'failed' : 'retrying', attempts: record.attempts + 1, ...(outcome.retryAt === undefined ? {} : { nextAttemptAt: outcome.retryAt }) });
      } catch (error) {
        deps.logger.warn('records transfer status not recorded', { error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}
