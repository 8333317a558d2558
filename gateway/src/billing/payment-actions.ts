/**
 * Paying a bill (issue 13), on the shared write path (gateway/src/actions):
 *
 *   1. `billing.pay-start` — the family picks an account and an amount (at most the balance); the gateway creates a
 *      checkout at the processor server-to-server and answers with the processor's hosted page URL. Sprout never
 *      sees a card number. The pending checkout is kept in the store (who, patient, account, amount).
 *   2. The processor's signed webhook (payment-webhook.ts) records the verified result.
 *   3. `billing.pay-complete` — back from the page, the app asks the gateway to finish: only the person who started
 *      the checkout may; an approved result is written to the EHR as PaymentReconciliation + PaymentNotice, each a
 *      conditional create on the checkout id (however many times anyone finishes it, one payment is recorded), and the
 *      new balance comes back. Declined and cancelled write nothing.
 */
import { randomBytes } from 'node:crypto';
import type { PaymentNotice, PaymentReconciliation, Reference } from 'fhir/r4';
import { z } from 'zod';
import { COMMON_ERRORS } from '../actions/action-errors.ts';
import type { Store } from '../store/types.ts';
import { readJsonBody, type ActionDefinition } from '../actions/action.ts';
import type { ActionContext } from '../actions/action.ts';
import { ifNoneExistFor } from '../actions/idempotency-key.ts';
import { BILLING_ERRORS } from './billing-errors.ts';
import { readPatientBills } from './billing-reads.ts';
import { isCheckoutId, readPending, readResult, savePending, type PendingCheckout } from './payment-records.ts';

export interface PaymentsConfig {
  /** The processor's API base (PAYMENT_PROCESSOR_URL). */
  readonly processorUrl: string;
  readonly apiKey: string;
  readonly webhookSecret: string;
  /** Where the processor sends the browser back (the app's bills page) and its webhook (the gateway). */
  readonly returnUrl: string;
  readonly webhookUrl: string;
}

export const CHECKOUT_IDENTIFIER_SYSTEM = 'urn:sprout:payment-checkout';
const ID = /^[A-Za-z0-9.-]{1,64}$/;

const StartInput = z.object({
  patientId: z.string().regex(ID),
  accountId: z.string().regex(ID),
  amountCents: z.number().int(),
}).strict();
type StartInput = z.infer<typeof StartInput>;

const invalid = (field: string) =>
  COMMON_ERRORS.invalidInput(field, {
    en: 'This payment could not be read. Please reload the page and try again.',
    es: 'No se pudo leer este pago. Vuelva a cargar la página e inténtelo de nuevo.',
  });

async function visibleAccount(ctx: ActionContext<{ patientId: string; accountId: string }>) {
  const views = await readPatientBills(ctx.upstream, ctx.policy, ctx.profile, ctx.access);
  const view = views.find((v) => v.id === ctx.input.accountId);
  if (view === undefined) throw BILLING_ERRORS.accountNotFound();
  return view;
}

export function startPaymentAction(payments: PaymentsConfig | undefined, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ActionDefinition<StartInput> {
  return {
    name: 'billing.pay-start',
    async parse(c) {
      const parsed = StartInput.safeParse(await readJsonBody(c, 4096));
      if (!parsed.success) throw invalid(String(parsed.error.issues[0]?.path[0] ?? 'body'));
      if (parsed.data.amountCents < 50) throw BILLING_ERRORS.invalidAmount();
      return parsed.data;
    },
    patientId: (input) => input.patientId,
    permitted: (decision) => decision.features.bills !== 'none',
    async run(ctx) {
      if (payments === undefined) throw BILLING_ERRORS.paymentsUnavailable();
      const view = await visibleAccount(ctx);
      if (ctx.input.amountCents > view.balanceCents) throw BILLING_ERRORS.invalidAmount();
      const reference = randomBytes(18).toString('base64url');
      let response: Response;
      try {
        response = await fetchImpl(`${payments.processorUrl}/v1/checkouts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${payments.apiKey}`, 'content-type': 'application/json' },
          // No health information and no names go to the processor: an amount, an opaque reference, two URLs.
          body: JSON.stringify({ amountCents: ctx.input.amountCents, currency: view.currency, reference, returnUrl: payments.returnUrl, webhookUrl: payments.webhookUrl }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        ctx.logger.warn('payment processor unreachable', { requestId: ctx.requestId, error: (error as Error).message });
        throw BILLING_ERRORS.paymentsUnavailable();
      }
      const created = (await response.json().catch(() => undefined)) as { id?: unknown; url?: unknown } | undefined;
      if (response.status !== 201 || !isCheckoutId(created?.id) || typeof created?.url !== 'string' || new URL(created.url).origin !== new URL(payments.processorUrl).origin) {
        ctx.logger.warn('payment processor refused a checkout', { requestId: ctx.requestId, status: response.status });
        throw BILLING_ERRORS.paymentsUnavailable();
      }
      const pending: PendingCheckout = {
        checkout: created.id, reference, subject: ctx.principal.fhirUser, patientId: ctx.input.patientId, accountId: view.id,
        amountCents: ctx.input.amountCents, currency: view.currency, createdAt: ctx.clock.now(),
      };
      await savePending(ctx.store, pending);
      return { status: 201, body: { checkout: created.id, redirectUrl: created.url }, written: [] };
    },
  };
}

const CompleteInput = z.object({ checkout: z.string() }).strict();
interface CompleteInput { readonly checkout: string; readonly pending: PendingCheckout }

export function completePaymentAction(store: Store): ActionDefinition<CompleteInput> {
  return {
    name: 'billing.pay-complete',
    async parse(c) {
      const parsed = CompleteInput.safeParse(await readJsonBody(c, 4096));
      if (!parsed.success || !isCheckoutId(parsed.data.checkout)) throw invalid('checkout');
      // Another person's checkout (another family's account) is refused exactly like one that does not exist.
      return { checkout: parsed.data.checkout, pending: await ownPending(store, parsed.data.checkout, c.get('principal').fhirUser) };
    },
    patientId: (input) => input.pending.patientId,
    permitted: (decision) => decision.features.bills !== 'none',
    fingerprint: (input) => ({ checkout: input.checkout }),
    async run(ctx) {
      const { pending } = ctx.input;
      const result = await readResult(ctx.store, pending.checkout);
      if (result === undefined) throw BILLING_ERRORS.paymentPending();
      if (result.status !== 'approved') {
        return { status: 200, body: { status: result.status, patientId: pending.patientId, accountId: pending.accountId }, written: [] };
      }
      const view = await visibleAccount({ ...ctx, input: { patientId: pending.patientId, accountId: pending.accountId } });
      const identifier = { system: CHECKOUT_IDENTIFIER_SYSTEM, value: pending.checkout };
      const account: Reference = { reference: `Account/${pending.accountId}` };
      const money = { value: pending.amountCents / 100, currency: pending.currency };
      const today = new Date(result.receivedAt).toISOString();
      const reconciliation: PaymentReconciliation = {
        resourceType: 'PaymentReconciliation', status: 'active', identifier: [identifier], created: today, paymentDate: today.slice(0, 10),
        paymentAmount: money, paymentIdentifier: { system: CHECKOUT_IDENTIFIER_SYSTEM, value: pending.checkout }, outcome: 'complete',
        disposition: 'Card payment approved by the payment processor',
        detail: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/payment-type', code: 'payment' }] }, request: account, amount: money, date: today.slice(0, 10), submitter: { reference: ctx.principal.reference } }],
      };
      const written = await ctx.upstream.writeJson('POST', 'PaymentReconciliation', reconciliation, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!written.ok || written.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(written.status);
      const notice: PaymentNotice = {
        resourceType: 'PaymentNotice', status: 'active', identifier: [identifier], request: account, created: today, paymentDate: today.slice(0, 10),
        payment: { reference: `PaymentReconciliation/${written.resource.id}` }, recipient: { display: 'Billing office' }, amount: money,
        provider: { reference: ctx.principal.reference },
        paymentStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/paymentstatus', code: 'paid' }] },
      };
      const noticeWritten = await ctx.upstream.writeJson('POST', 'PaymentNotice', notice, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!noticeWritten.ok || noticeWritten.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(noticeWritten.status);
      const after = (await readPatientBills(ctx.upstream, ctx.policy, ctx.profile, ctx.access)).find((v) => v.id === view.id);
      return {
        status: 200,
        body: { status: 'approved', patientId: pending.patientId, accountId: pending.accountId, amountCents: pending.amountCents, balanceCents: after?.balanceCents ?? view.balanceCents },
        written: [`PaymentReconciliation/${written.resource.id}`, `PaymentNotice/${noticeWritten.resource.id}`],
      };
    },
  };
}

/** The pending checkout for `checkout` if it is this person's; otherwise the same refusal whether absent or not theirs. */
export async function ownPending(store: Store, checkout: string, fhirUser: string): Promise<PendingCheckout> {
  const pending = await readPending(store, checkout);
  if (pending === undefined || pending.subject !== fhirUser) throw BILLING_ERRORS.paymentNotFound();
  return pending;
}
