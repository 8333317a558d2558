/**
 * Bills end to end in process: the sandbox EHR with the seeded statements (fixtures/family/billing.json), the
 * sandbox's hosted payment page (sandbox/src/payments) as a real HTTP server, the gateway's billing routes and webhook
 * on a real store. Balances per child, the balance-only policy (no line item on any path), paying (approve, decline,
 * cancel), the signed webhook (valid, forged, replayed, late, unknown), another person's checkout, double submission.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Bundle } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingRoutes } from '../../../gateway/src/billing/billing-routes.ts';
import type { PaymentsConfig } from '../../../gateway/src/billing/payment-actions.ts';
import { createPaymentWebhookRoutes } from '../../../gateway/src/billing/payment-webhook.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { signWebhook, SIGNATURE_HEADER, startPaymentProcessor, type PaymentProcessor } from '../../../sandbox/src/payments/payment-processor.ts';
import { appFor, signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';

let sandbox: RunningSandbox;
let processor: PaymentProcessor;
let store: Store;
let maria: SignedInUser;
let daniel: SignedInUser;
let webhookServer: ServerType;
let payments: PaymentsConfig;
const clock = { now: () => Date.now() };
const logger = createLogger('silent');

beforeAll(async () => {
  sandbox = await startTestSandbox();
  processor = await startPaymentProcessor();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  daniel = await signInToSandbox(sandbox, 'daniel');
  const webhook = createPaymentWebhookRoutes({ store, clock, logger, get payments() { return payments; } });
  webhookServer = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: webhook.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (webhookServer.address() as AddressInfo).port;
  payments = {
    processorUrl: processor.url, apiKey: processor.apiKey, webhookSecret: processor.webhookSecret,
    returnUrl: 'http://127.0.0.1:9/bills/return', webhookUrl: `http://127.0.0.1:${port}/`,
  };
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => (webhookServer ? webhookServer.close(() => resolve()) : resolve()));
  await processor?.close();
  await store?.close();
  await sandbox?.close();
});

const newKey = () => randomBytes(18).toString('base64url');

function gateway(user: SignedInUser, profile: keyof typeof BUILTIN_PROFILES = 'ca-strict') {
  return appFor(user, sandbox, (a) => a.route('/api/billing', createBillingRoutes({ store, clock, profile: BUILTIN_PROFILES[profile], logger, payments })));
}

interface Bills { canPay: boolean; guarantors: { number?: string; balanceCents: number; accounts: { id: string; patientId: string; level: string; balanceCents: number; statements?: { lines?: { description: string }[] }[]; payments: { amountCents: number }[] }[] }[] }
async function bills(user: SignedInUser, profile: keyof typeof BUILTIN_PROFILES = 'ca-strict'): Promise<{ text: string; json: Bills }> {
  const response = await gateway(user, profile).request('/api/billing');
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, json: JSON.parse(text) as Bills };
}
const accountOf = (b: Bills, patientId: string) => b.guarantors.flatMap((g) => g.accounts).find((a) => a.patientId === patientId);

function post(app: ReturnType<typeof gateway>, path: string, body: unknown, key = newKey(), language = 'en') {
  return app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'accept-language': language }, body: JSON.stringify(body) });
}

/** What a browser does on the hosted page: read its form, press a button; returns the checkout id it was sent back with. */
async function payOnHostedPage(redirectUrl: string, action: 'approve' | 'decline' | 'cancel', card = '4242424242424242'): Promise<string> {
  const page = await (await fetch(redirectUrl)).text();
  expect(page).toContain('Sandbox payment page');
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const response = await fetch(redirectUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, action, card }).toString() });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe(payments.returnUrl);
  return location.searchParams.get('checkout') ?? '';
}

async function startPayment(user: SignedInUser, patientId: string, accountId: string, amountCents: number) {
  const response = await post(gateway(user), '/api/billing/payments', { patientId, accountId, amountCents });
  expect(response.status).toBe(201);
  return (await response.json()) as { checkout: string; redirectUrl: string };
}

describe('balances', () => {
  it('shows each child\'s balance under the guarantor account, with statement lines and payment history (bills "full")', async () => {
    const { json } = await bills(maria);
    expect(json.guarantors.map((g) => g.number)).toEqual(['G100234']);
    const leo = accountOf(json, 'leo-rivera');
    expect(leo?.level).toBe('full');
    expect(leo?.balanceCents).toBe(13_500); // $185.00 owed − $50.00 paid
    expect(leo?.statements?.[0]?.lines?.map((l) => l.description)).toContain('Emergency department visit, moderate severity');
    expect(leo?.payments.map((p) => p.amountCents)).toEqual([5_000]);
    expect(accountOf(json, 'sofia-rivera')?.balanceCents).toBe(4_000);
    // ca-strict: a guardian of a 12–17-year-old has no bills at all.
    expect(accountOf(json, 'isabel-rivera')).toBeUndefined();
  });

  it('under ca-strict-messaging shows the teen\'s balance and never a statement or line item', async () => {
    const { json, text } = await bills(maria, 'ca-strict-messaging');
    const isabel = accountOf(json, 'isabel-rivera');
    expect(isabel?.level).toBe('balance-only');
    expect(isabel?.balanceCents).toBe(9_500);
    expect(isabel?.statements).toBeUndefined();
    // Nothing of the teen's statement anywhere in the answer (nor of the line items of anyone's, in the teen's account).
    expect(text).not.toMatch(/Chlamydia|87491|ChargeItem|isabel-ct-naat|teen-clinic|ISABEL-2025-05/);
    expect(JSON.stringify(isabel)).not.toMatch(/Office visit|description|lines/);
    const statement = await gateway(maria, 'ca-strict-messaging').request('/api/billing/accounts/isabel-rivera-account/statement.pdf');
    expect(statement.status).toBe(200);
    const pdf = Buffer.from(await statement.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain('$95.00');
    expect(pdf).not.toMatch(/Chlamydia|87491|Office visit/);
  });

  it('gives a statement PDF with the lines for a young child, in Spanish when asked', async () => {
    const response = await gateway(maria).request('/api/billing/accounts/leo-rivera-account/statement.pdf?lang=es');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(pdf).toContain('Emergency department visit, moderate severity');
    expect(pdf).toContain('Saldo pendiente');
    const foreign = await gateway(maria).request('/api/billing/accounts/not-an-account/statement.pdf');
    expect(foreign.status).toBe(404);
  });
});

describe('paying through the hosted page', () => {
  it('approve: the webhook is verified, the return records one PaymentReconciliation + PaymentNotice, the balance updates', async () => {
    const before = accountOf((await bills(maria)).json, 'sofia-rivera')?.balanceCents;
    expect(before).toBe(4_000);
    const started = await startPayment(maria, 'sofia-rivera', 'sofia-rivera-account', 1_500);
    expect(new URL(started.redirectUrl).origin).toBe(processor.url);
    const checkout = await payOnHostedPage(started.redirectUrl, 'approve');
    expect(checkout).toBe(started.checkout);
    expect(processor.deliveries().filter((d) => d.checkout === checkout).map((d) => d.status)).toEqual([200]);

    const completed = await post(gateway(maria), '/api/billing/payments/complete', { checkout });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toMatchObject({ status: 'approved', balanceCents: 2_500 });
    // A second return (reload, another tab, another key) records nothing more.
    const again = await post(gateway(maria), '/api/billing/payments/complete', { checkout });
    expect(await again.json()).toMatchObject({ status: 'approved', balanceCents: 2_500 });
    const notices = await maria.upstream().getJson(`PaymentNotice?identifier=${encodeURIComponent(`urn:sprout:payment-checkout|${checkout}`)}`);
    expect((notices.ok ? (notices.resource as Bundle).entry ?? [] : []).length).toBe(1);
    const sofia = accountOf((await bills(maria)).json, 'sofia-rivera');
    expect(sofia?.balanceCents).toBe(2_500);
    expect(sofia?.payments.map((p) => p.amountCents)).toEqual([1_500]);
  });

  it('decline and cancel record nothing and leave the balance', async () => {
    for (const action of ['decline', 'cancel'] as const) {
      const started = await startPayment(maria, 'leo-rivera', 'leo-rivera-account', 1_000);
      const checkout = await payOnHostedPage(started.redirectUrl, action);
      const completed = await post(gateway(maria), '/api/billing/payments/complete', { checkout });
      expect(await completed.json()).toMatchObject({ status: action === 'decline' ? 'declined' : 'canceled' });
    }
    const started = await startPayment(maria, 'leo-rivera', 'leo-rivera-account', 1_000);
    const checkout = await payOnHostedPage(started.redirectUrl, 'approve', '4000000000000002');
    expect(await (await post(gateway(maria), '/api/billing/payments/complete', { checkout })).json()).toMatchObject({ status: 'declined' });
    expect(accountOf((await bills(maria)).json, 'leo-rivera')?.balanceCents).toBe(13_500);
  });

  it('refuses bad amounts, another child\'s account and another person\'s checkout, in the reader\'s language', async () => {
    const tooMuch = await post(gateway(maria), '/api/billing/payments', { patientId: 'leo-rivera', accountId: 'leo-rivera-account', amountCents: 13_501 }, newKey(), 'es');
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(await tooMuch.json())).toContain('invalid-amount');
    const mixed = await post(gateway(maria), '/api/billing/payments', { patientId: 'leo-rivera', accountId: 'sofia-rivera-account', amountCents: 100 });
    expect(mixed.status).toBe(404);
    // Daniel (Isabel's father) has no relation to Leo: the same 403 as any feature that is off.
    const unrelated = await post(gateway(daniel), '/api/billing/payments', { patientId: 'leo-rivera', accountId: 'leo-rivera-account', amountCents: 100 });
    expect(unrelated.status).toBe(403);
    // A return for Maria's checkout, by someone else: refused like one that does not exist; nothing recorded.
    const started = await startPayment(maria, 'leo-rivera', 'leo-rivera-account', 2_000);
    const checkout = await payOnHostedPage(started.redirectUrl, 'approve');
    const stolen = await post(gateway(daniel), '/api/billing/payments/complete', { checkout }, newKey(), 'es');
    expect(stolen.status).toBe(404);
    const outcome = JSON.stringify(await stolen.json());
    expect(outcome).toContain('payment-not-found');
    expect(outcome).toContain('No encontramos este pago');
    expect(accountOf((await bills(maria)).json, 'leo-rivera')?.balanceCents).toBe(13_500);
    expect(await (await post(gateway(maria), '/api/billing/payments/complete', { checkout })).json()).toMatchObject({ status: 'approved', balanceCents: 11_500 });
  });

  it('a double submission starts one checkout: the same key answers the same hosted page', async () => {
    const key = newKey();
    const body = { patientId: 'sofia-rivera', accountId: 'sofia-rivera-account', amountCents: 500 };
    const count = processor.checkouts().length;
    const first = await post(gateway(maria), '/api/billing/payments', body, key);
    const second = await post(gateway(maria), '/api/billing/payments', body, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect(processor.checkouts().length).toBe(count + 1);
  });
});

describe('the signed webhook', () => {
  async function webhookCall(body: string, signature: string | undefined) {
    return fetch(payments.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { [SIGNATURE_HEADER]: signature }) }, body });
  }

  it('refuses forged, replayed, late and unknown events, and records nothing for them', async () => {
    const started = await startPayment(maria, 'sofia-rivera', 'sofia-rivera-account', 700);
    const checkout = await payOnHostedPage(started.redirectUrl, 'cancel');
    const delivered = processor.deliveries().find((d) => d.checkout === checkout);
    expect(delivered?.status).toBe(200);

    // Replayed: the very request the processor sent, again.
    const replay = await webhookCall(delivered?.body ?? '', delivered?.signature);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toEqual({ error: 'event-replayed' });

    // Forged: an "approved" for the same checkout, signed with the wrong secret (or not at all, or malformed).
    const forgedBody = (delivered?.body ?? '').replace('"canceled"', '"approved"').replace(/"id":"[^"]+"/, `"id":"evt_${randomBytes(16).toString('base64url')}"`);
    const now = Math.floor(Date.now() / 1000);
    for (const signature of [signWebhook('whsec_not-the-secret', now, forgedBody), undefined, 't=abc,v1=zz', signWebhook(processor.webhookSecret, now, delivered?.body ?? '')]) {
      const forged = await webhookCall(forgedBody, signature);
      expect(forged.status).toBe(400);
      expect(await forged.json()).toEqual({ error: 'signature-invalid' });
    }
    // Late: correctly signed, ten minutes ago.
    const late = await webhookCall(forgedBody, signWebhook(processor.webhookSecret, now - 600, forgedBody));
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'signature-late' });

    const completed = await post(gateway(maria), '/api/billing/payments/complete', { checkout });
    expect(await completed.json()).toMatchObject({ status: 'canceled' });

    // Correctly signed and fresh, but for a checkout this gateway never started (or with another amount).
    const unknown = JSON.stringify({ id: `evt_${randomBytes(16).toString('base64url')}`, type: 'checkout.completed', created: now, data: { checkout: 'cs_never-started-here', status: 'approved', amountCents: 700, currency: 'USD', reference: 'abcdefghijkl' } });
    const refused = await webhookCall(unknown, signWebhook(processor.webhookSecret, now, unknown));
    expect(refused.status).toBe(422);
    const audits = await store.audit.listForPatient('Patient/sofia-rivera', { limit: 200 });
    expect(audits.some((a) => a.action === 'payment:webhook' && a.outcome === 'allowed')).toBe(true);
  });

  it('a return before the webhook arrived is "pending" and may be retried with the same key', async () => {
    const started = await startPayment(maria, 'sofia-rivera', 'sofia-rivera-account', 600);
    const key = newKey();
    const early = await post(gateway(maria), '/api/billing/payments/complete', { checkout: started.checkout }, key);
    expect(early.status).toBe(409);
    expect(JSON.stringify(await early.json())).toContain('payment-pending');
    await payOnHostedPage(started.redirectUrl, 'cancel');
    const later = await post(gateway(maria), '/api/billing/payments/complete', { checkout: started.checkout }, key);
    expect(await later.json()).toMatchObject({ status: 'canceled' });
  });
});
