/**
 * The development mail server: a real SMTP server (smtp-server) on 127.0.0.1 that keeps every message it accepts in
 * memory, parsed with mailparser, and a small HTTP mailbox to look at them:
 *
 *   {mailboxUrl}/                 the mailbox page (newest first)
 *   {mailboxUrl}/messages.json    the same as JSON (tests)
 *
 * `npm start` runs one and points the portal's SMTP_URL at it. Plain SMTP without TLS or authentication: it listens
 * on loopback only and exists for development and tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { html, page, raw } from '../http/html.ts';

export interface ReceivedAttachment {
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly size: number;
  readonly content: Buffer;
}

export interface ReceivedMail {
  readonly id: number;
  /** Envelope sender and recipients, as the client gave them. */
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | undefined;
  readonly messageId: string | undefined;
  readonly language: string | undefined;
  readonly receivedAt: string;
  readonly attachments: readonly ReceivedAttachment[];
}

export interface DevMailServer {
  /** smtp://127.0.0.1:<port> — the SMTP_URL for the portal. */
  readonly smtpUrl: string;
  /** http://127.0.0.1:<port> — the mailbox page. */
  readonly mailboxUrl: string;
  messages(): readonly ReceivedMail[];
  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Refuse the next `count` messages with a temporary failure (451), to exercise retries. */
  refuseNext(count: number): void;
  close(): Promise<void>;
}

/** Largest message accepted (attachments of issue 13 included). */
const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

const addressText = (value: AddressObject | AddressObject[] | undefined): string =>
  value === undefined ? '' : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');

export async function startDevMailServer(options: { readonly smtpPort?: number; readonly httpPort?: number } = {}): Promise<DevMailServer> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  let refusals = 0;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Sprout development mail server',
    logger: false,
    onData(stream, session, callback) {
      if (refusals > 0) {
        refusals -= 1;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Temporarily refused (development mail server)'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            id: received.length + 1,
            envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: addressText(parsed.from),
            to: addressText(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : undefined,
            messageId: parsed.messageId,
            language: typeof parsed.headers.get('content-language') === 'string' ? (parsed.headers.get('content-language') as string) : undefined,
            receivedAt: new Date().toISOString(),
            attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, content: a.content })),
          };
          received.push(mail);
          for (const waiter of [...waiters]) {
            if (waiter.match(mail)) {
              waiters.delete(waiter);
              waiter.resolve(mail);
            }
          }
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, '127.0.0.1', () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  // smtp-server logs socket errors from clients that hang up; they are not ours to crash on.
  smtp.on('error', () => undefined);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/messages.json') {
      const list = received.map(({ attachments, ...mail }) => ({ ...mail, attachments: attachments.map(({ content: _c, ...a }) => a) }));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify([...list].reverse()));
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(mailboxPage(received));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 0, '127.0.0.1', () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    mailboxUrl: `http://127.0.0.1:${httpPort}`,
    messages: () => [...received],
    waitFor(match, timeoutMs = 15_000) {
      const found = received.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error('no matching email arrived at the development mail server'));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    refuseNext(count) {
      refusals = count;
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

function mailboxPage(received: readonly ReceivedMail[]): string {
  const items = [...received].reverse().map((mail) => html`<article class="mail">
      <h2>${mail.subject || '(no subject)'}</h2>
      <p class="note">To ${mail.to} · from ${mail.from} · ${mail.receivedAt}${mail.language === undefined ? '' : ` · ${mail.language}`}</p>
      <pre>${mail.text}</pre>
      ${mail.attachments.length === 0 ? raw('') : html`<p class="note">Attachments: ${mail.attachments.map((a) => `${a.filename ?? 'unnamed'} (${a.contentType}, ${a.size} bytes)`).join(', ')}</p>`}
    </article>`);
  return page('Development mailbox', html`<h1>Development mailbox</h1>
    <p class="note">Every email the portal sent to this development SMTP server since it started, newest first. Reload to refresh.</p>
    ${items.length === 0 ? html`<p>No email yet.</p>` : items}`);
}
