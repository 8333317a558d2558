/**
 * A hosted test payment page that behaves like a card processor's (issue 13): the portal creates a checkout
 * server-to-server (Bearer API key), sends the family's browser to the processor's page, where the card is typed —
 * the portal never sees it — and the family approves, is declined or cancels. The processor then POSTs a signed
 * webhook (gateway/src/billing/webhook-signature.ts: `Sprout-Pay-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`)
 * to the checkout's webhook URL, retrying a few times, and sends the browser back to the return URL with
 * `?checkout=<id>`. Card numbers ending in 0002 are declined whatever the button.
 *
 * Binds 127.0.0.1 only (a development tool). `startPaymentProcessor()` → `{ url, apiKey, webhookSecret,
 * checkouts(), deliveries(), close() }`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { html, page, raw } from '../http/html.ts';

/** The processor's signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'Sprout-Pay-Signature';
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type CheckoutStatus = 'open' | 'approved' | 'declined' | 'canceled';

export interface Checkout {
  readonly id: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly reference: string;
  readonly returnUrl: string;
  readonly webhookUrl: string;
  readonly formToken: string;
  status: CheckoutStatus;
}

export interface WebhookDelivery {
  readonly eventId: string;
  readonly checkout: string;
  readonly status: number | 'failed';
  readonly body: string;
  readonly signature: string;
}

export interface PaymentProcessor {
  readonly url: string;
  readonly apiKey: string;
  readonly webhookSecret: string;
  checkouts(): readonly Checkout[];
  deliveries(): readonly WebhookDelivery[];
  close(): Promise<void>;
}

export interface PaymentProcessorOptions {
  readonly port?: number;
  readonly apiKey?: string;
  readonly webhookSecret?: string;
  /** Webhook delivery attempts before giving up (default 3). */
  readonly attempts?: number;
}

const MAX_BODY = 16 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json', JSON.stringify(value));

function httpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

function checkoutPage(checkout: Checkout, error?: string): string {
  const done = checkout.status !== 'open';
  return page('Sandbox payment', html`
    <h1>Sandbox payment page</h1>
    <p class="note">A test card processor. Sprout never sees what you type here. Any card number is approved, except
      one ending in <code>0002</code>, which is declined.</p>
    <p><strong>Amount: ${money(checkout.amountCents, checkout.currency)}</strong></p>
    ${error === undefined ? raw('') : html`<p class="error" role="alert">${error}</p>`}
    ${done ? html`<p>This payment is ${checkout.status}.</p>` : html`
    <form method="post" action="/pay/${checkout.id}">
      <input type="hidden" name="token" value="${checkout.formToken}">
      <label for="card">Card number</label>
      <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242">
      <button type="submit" name="action" value="approve">Pay ${money(checkout.amountCents, checkout.currency)}</button>
      <button type="submit" name="action" value="decline">Decline (test)</button>
      <button type="submit" name="action" value="cancel">Cancel and return</button>
    </form>`}
  `);
}

export async function startPaymentProcessor(options: PaymentProcessorOptions = {}): Promise<PaymentProcessor> {
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(18).toString('base64url')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const attempts = options.attempts ?? 3;
  const checkouts = new Map<string, Checkout>();
  const deliveries: WebhookDelivery[] = [];
  let url = '';

  async function deliver(checkout: Checkout): Promise<void> {
    const eventId = `evt_${randomBytes(16).toString('base64url')}`;
    const body = JSON.stringify({
      id: eventId,
      type: 'checkout.completed',
      created: Math.floor(Date.now() / 1000),
      data: { checkout: checkout.id, status: checkout.status, amountCents: checkout.amountCents, currency: checkout.currency, reference: checkout.reference },
    });
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const signature = signWebhook(webhookSecret, Math.floor(Date.now() / 1000), body);
      try {
        const response = await fetch(checkout.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, body, signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        deliveries.push({ eventId, checkout: checkout.id, status: response.status, body, signature });
        if (response.ok || response.status === 409) return;
      } catch {
        deliveries.push({ eventId, checkout: checkout.id, status: 'failed', body, signature });
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'POST' && path === '/v1/checkouts') {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return json(res, 401, { error: 'unauthorized' });
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        return json(res, 400, { error: 'malformed' });
      }
      const amount = input['amountCents'];
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 50 || amount > 10_000_000) return json(res, 400, { error: 'amount' });
      if (!httpUrl(input['returnUrl']) || !httpUrl(input['webhookUrl'])) return json(res, 400, { error: 'urls' });
      const reference = typeof input['reference'] === 'string' && /^[A-Za-z0-9_-]{8,128}$/.test(input['reference']) ? input['reference'] : undefined;
      if (reference === undefined) return json(res, 400, { error: 'reference' });
      const currency = typeof input['currency'] === 'string' && /^[A-Z]{3}$/.test(input['currency']) ? input['currency'] : 'USD';
      const checkout: Checkout = {
        id: `cs_${randomBytes(16).toString('base64url')}`, amountCents: amount, currency, reference,
        returnUrl: input['returnUrl'], webhookUrl: input['webhookUrl'], formToken: randomBytes(18).toString('base64url'), status: 'open',
      };
      checkouts.set(checkout.id, checkout);
      return json(res, 201, { id: checkout.id, url: `${url}/pay/${checkout.id}`, status: checkout.status });
    }
    const api = /^\/v1\/checkouts\/([A-Za-z0-9_-]+)$/.exec(path);
    if (req.method === 'GET' && api) {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return json(res, 401, { error: 'unauthorized' });
      const checkout = checkouts.get(api[1] ?? '');
      return checkout ? json(res, 200, { id: checkout.id, status: checkout.status, amountCents: checkout.amountCents, reference: checkout.reference }) : json(res, 404, { error: 'not-found' });
    }
    const pay = /^\/pay\/([A-Za-z0-9_-]+)$/.exec(path);
    const checkout = pay ? checkouts.get(pay[1] ?? '') : undefined;
    if (pay && checkout === undefined) return send(res, 404, 'text/html; charset=utf-8', page('Not found', html`<p>No such payment.</p>`));
    if (checkout && req.method === 'GET') return send(res, 200, 'text/html; charset=utf-8', checkoutPage(checkout));
    if (checkout && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('token') !== checkout.formToken) return send(res, 403, 'text/html; charset=utf-8', checkoutPage(checkout, 'This form expired. Please start again.'));
      if (checkout.status === 'open') {
        const action = form.get('action');
        const card = (form.get('card') ?? '').replace(/\D/g, '');
        if (action === 'cancel') checkout.status = 'canceled';
        else if (action === 'decline' || (action === 'approve' && card.endsWith('0002'))) checkout.status = 'declined';
        else if (action === 'approve' && card.length >= 12 && card.length <= 19) checkout.status = 'approved';
        else return send(res, 400, 'text/html; charset=utf-8', checkoutPage(checkout, 'Enter a card number.'));
        await deliver(checkout);
      }
      const back = new URL(checkout.returnUrl);
      back.searchParams.set('checkout', checkout.id);
      res.writeHead(303, { location: back.toString(), 'cache-control': 'no-store' });
      res.end();
      return;
    }
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Payment page error');
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    webhookSecret,
    checkouts: () => [...checkouts.values()],
    deliveries: () => [...deliveries],
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
