/**
 * The SMTP shell: one nodemailer transport per SMTP_URL. `send` resolves when the server accepted the message and
 * rejects otherwise (the outbox sender retries). Each message carries a Message-ID derived from the outbox row, so a
 * receiving system can recognise a resend.
 */
import nodemailer from 'nodemailer';
import type { RenderedEmail } from './templates.ts';

export interface OutgoingEmail extends RenderedEmail {
  readonly to: string;
  readonly messageId: string;
  readonly language: string;
  /** Files sent with it (Direct messages to clinicians only: notification email never carries any). */
  readonly attachments?: readonly { readonly filename: string; readonly contentType: string; readonly content: Buffer }[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export const SMTP_TIMEOUT_MS = 20_000;

export function createSmtpMailer(options: { readonly smtpUrl: string; readonly from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: { 'Content-Language': email.language, 'Auto-Submitted': 'auto-generated' },
        ...(email.attachments === undefined ? {} : { attachments: email.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) }),
      });
    },
    close: () => transport.close(),
  };
}
