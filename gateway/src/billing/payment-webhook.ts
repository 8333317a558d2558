/**
 * POST /payments/webhook — the processor's signed notice that a checkout finished. No session (the processor calls
 * it), so nothing here trusts the caller: the signature over the raw body must match the shared secret and be
 * recent (webhook-signature.ts), the event id is claimed once in the store's idempotency table (a replayed event is
 * refused, on any replica), and the checkout must be one this gateway started, with the same reference and amount.
 * Only then is the result recorded (payment-records.ts) for the family's return. Every outcome is audited.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Clock } from '../http/clock.ts';
import type { Logger } from '../http/logger.ts';
import type { Store } from '../store/types.ts';
import { inputFingerprint } from '../actions/idempotency-key.ts';
import type { PaymentsConfig } from './payment-actions.ts';
import { isCheckoutId, readPending, saveResult } from './payment-records.ts';
import { SIGNATURE_HEADER, verifySignature } from './webhook-signature.ts';

const MAX_BODY = 16 * 1024;
export const WEBHOOK_SUBJECT = 'urn:sprout:payment-webhook';

const Event = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  type: z.literal('checkout.completed'),
  created: z.number().int(),
  data: z.object({
    checkout: z.string(),
    status: z.enum(['approved', 'declined', 'canceled']),
    amountCents: z.number().int(),
    currency: z.string(),
    reference: z.string(),
  }),
});

export function createPaymentWebhookRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly logger: Logger; readonly payments: PaymentsConfig | undefined }): Hono {
  const routes = new Hono();
  routes.post('/', async (c) => {
    const refuse = async (status: 400 | 404 | 409 | 413 | 422 | 503, code: string, eventId?: string) => {
      await audit(c, code, 'denied', eventId);
      return c.json({ error: code }, status);
    };
    const audit = (ctx: Context, reason: string, outcome: 'allowed' | 'denied', eventId?: string, patient?: string) =>
      deps.store.audit.append({
        id: randomUUID(), recorded: new Date(deps.clock.now()).toISOString(), requestId: ctx.req.header('X-Request-Id') ?? randomUUID(),
        actor: 'urn:sprout:payment-processor', ...(patient === undefined ? {} : { patient }), action: 'payment:webhook',
        query: 'POST /payments/webhook', outcome, returned: [], withheld: [], reasons: eventId === undefined ? [reason] : [reason, `event:${eventId}`],
      });
    if (deps.payments === undefined) return refuse(503, 'payments-unavailable');
    if (Number(c.req.header('Content-Length') ?? '0') > MAX_BODY) return refuse(413, 'too-large');
    const body = await c.req.text();
    if (Buffer.byteLength(body) > MAX_BODY) return refuse(413, 'too-large');
    const check = verifySignature(c.req.header(SIGNATURE_HEADER), body, deps.payments.webhookSecret, deps.clock.now());
    if (!check.ok) return refuse(400, check.reason === 'late' ? 'signature-late' : 'signature-invalid');
    let event: z.infer<typeof Event>;
    try {
      const parsed = Event.safeParse(JSON.parse(body));
      if (!parsed.success) return refuse(400, 'malformed-event');
      event = parsed.data;
    } catch {
      return refuse(400, 'malformed-event');
    }
    if (!isCheckoutId(event.data.checkout)) return refuse(400, 'malformed-event', event.id);
    const claim = await deps.store.idempotency.claim({
      subject: WEBHOOK_SUBJECT, key: event.id, action: 'payments.webhook', fingerprint: inputFingerprint('payments.webhook', body),
      now: deps.clock.now(), staleAfterMs: 2 * 60_000,
    });
    if (claim.kind !== 'claimed') return refuse(409, 'event-replayed', event.id);
    const pending = await readPending(deps.store, event.data.checkout);
    if (pending === undefined || pending.reference !== event.data.reference || pending.amountCents !== event.data.amountCents || pending.currency !== event.data.currency) {
      await deps.store.idempotency.complete(WEBHOOK_SUBJECT, event.id, claim.owner, { status: 422, body: { error: 'unknown-checkout' } }, deps.clock.now());
      return refuse(422, 'unknown-checkout', event.id);
    }
    await saveResult(deps.store, { checkout: event.data.checkout, status: event.data.status, eventId: event.id, receivedAt: deps.clock.now() });
    await deps.store.idempotency.complete(WEBHOOK_SUBJECT, event.id, claim.owner, { status: 200, body: { received: true } }, deps.clock.now());
    await audit(c, `checkout-${event.data.status}`, 'allowed', event.id, `Patient/${pending.patientId}`);
    deps.logger.info('payment webhook recorded', { status: event.data.status });
    return c.json({ received: true }, 200);
  });
  return routes;
}
