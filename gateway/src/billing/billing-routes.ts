/**
 * /api/billing — the family's bills (issue 13), behind the session and CSRF like every /api route:
 *
 *   GET  /                                   balances per guarantor account and per child, statements (bills "full"
 *                                            only), payment history; judged by the facade's policy
 *   GET  /accounts/:accountId/statement.pdf  the same view as a PDF (English or Spanish: ?lang= or Accept-Language)
 *   POST /payments                           start paying (payment-actions.ts) → the processor's hosted page URL
 *   POST /payments/complete                  finish after the return → PaymentReconciliation + PaymentNotice
 *
 * The processor's webhook is not here (it has no session): payment-webhook.ts, mounted at /payments/webhook.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { requestLanguage } from '../actions/action-errors.ts';
import { actionHandler } from '../actions/action.ts';
import { createRequestPolicy } from '../fhir/request-policy.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Store } from '../store/types.ts';
import type { Config } from '../config.ts';
import { operationOutcome } from '../errors.ts';
import { readFamilyBills } from './billing-reads.ts';
import { byGuarantor } from './billing-view.ts';
import { completePaymentAction, startPaymentAction, type PaymentsConfig } from './payment-actions.ts';
import { statementPdf } from './statement-pdf.ts';

export interface BillingRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
  readonly logger: Logger;
  readonly payments: PaymentsConfig | undefined;
  readonly fetch?: typeof globalThis.fetch;
}

export function createBillingRoutes(deps: BillingRouteDeps): Hono<GatewayEnv> {
  const { store, clock, profile, logger } = deps;
  const routes = new Hono<GatewayEnv>();

  const familyBills = (c: Context<GatewayEnv>) => {
    const upstream = c.get('upstream');
    const principal = c.get('principal');
    const asOf = new Date(clock.now());
    const policy = createRequestPolicy({ upstream, principal, profile, asOf, signal: c.req.raw.signal });
    return readFamilyBills({ upstream, policy, principal, profile, asOf });
  };
  const audit = (c: Context<GatewayEnv>, action: string, returned: readonly string[], patient?: string) =>
    store.audit.append({
      id: randomUUID(), recorded: new Date(clock.now()).toISOString(), requestId: c.get('requestId'), actor: c.get('principal').fhirUser,
      ...(patient === undefined ? {} : { patient }), action, query: `GET ${new URL(c.req.url).pathname}`, outcome: 'allowed', returned, withheld: [], reasons: [],
    });

  routes.get('/', async (c) => {
    const accounts = await familyBills(c);
    await audit(c, 'read:billing', accounts.map((a) => `Account/${a.id}`));
    c.header('Cache-Control', 'no-store');
    return c.json({ canPay: deps.payments !== undefined, guarantors: byGuarantor(accounts) });
  });

  routes.get('/accounts/:accountId/statement.pdf', async (c) => {
    const accountId = c.req.param('accountId');
    const account = (await familyBills(c)).find((a) => a.id === accountId);
    if (account === undefined) return c.json(operationOutcome('not-found', 'There is no such account.'), 404);
    const lang = c.req.query('lang');
    const language = lang === 'es' || lang === 'en' ? lang : requestLanguage(c.req.header('Accept-Language'));
    const pdf = statementPdf(account, language);
    await audit(c, 'read:billing-statement', [`Account/${account.id}`], `Patient/${account.patientId}`);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="statement-${account.id}.pdf"`,
      'Cache-Control': 'no-store',
    });
  });

  const actionDeps = { store, clock, profile, logger };
  routes.post('/payments', actionHandler(startPaymentAction(deps.payments, deps.fetch), actionDeps));
  routes.post('/payments/complete', actionHandler(completePaymentAction(store), actionDeps));
  return routes;
}

/** The payment settings from the configuration: the processor, and where it returns the browser and posts its webhook. */
export function paymentsConfig(config: Pick<Config, 'payments' | 'publicUrl'>): PaymentsConfig | undefined {
  if (config.payments === undefined) return undefined;
  return { ...config.payments, returnUrl: `${config.publicUrl}/bills`, webhookUrl: `${config.publicUrl}/payments/webhook` };
}
