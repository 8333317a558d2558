/**
 * <sprout-bills>: the family's bills (issue 13). Balance due per guarantor account and per child; with bills "full"
 * the statements and their lines, with "balance-only" the balance alone (the gateway never sends lines then); payment
 * history; a statement PDF through the gateway; and Pay: amount → confirmation → the processor's hosted page (Sprout
 * never sees the card). Back from that page (/bills?checkout=…) it asks the gateway to finish and shows the result
 * and the new balance. Errors show the page's own localized sentence for the gateway's code; nothing typed is lost.
 */
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { activeLocale } from '../i18n/localization.ts';
import { navigate } from '../shell/router.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { BillingError, fetchBills, newIdempotencyKey, parseAmount, postBilling, statementUrl, type Account } from './billing-api.ts';

type Mode =
  | { kind: 'idle' }
  | { kind: 'form'; account: Account; amount: string; error?: string }
  | { kind: 'confirm'; account: Account; amountCents: number; key: string; error?: string }
  | { kind: 'leaving' }
  | { kind: 'finishing' }
  | { kind: 'done'; status: 'approved' | 'declined' | 'canceled'; amountCents?: number }
  | { kind: 'failed'; error: string };

const PENDING_RETRIES = 10;

export function billingErrorText(code: string): string {
  switch (code) {
    case 'invalid-amount': return msg('Enter an amount of at least $0.50 and no more than the balance due.', { id: 'billing.error-amount' });
    case 'account-not-found': return msg('We could not find this account for your family. Nothing was charged.', { id: 'billing.error-account' });
    case 'payments-unavailable': return msg('Online payment is not available right now. Nothing was charged. Please try again later or call the billing office.', { id: 'billing.error-unavailable' });
    case 'payment-not-found': return msg('We could not find this payment for you. If you were charged, please call the billing office.', { id: 'billing.error-not-found' });
    case 'payment-pending': return msg('The payment processor has not confirmed this payment yet. Please reload this page in a minute.', { id: 'billing.error-pending' });
    case 'not-permitted': return msg('You cannot pay this bill in Sprout. Please call the billing office.', { id: 'billing.error-not-permitted' });
    case 'offline': return msg('Sprout could not reach the hospital. Check your connection and try again. Nothing was charged.', { id: 'billing.error-offline' });
    default: return msg('Something went wrong. Nothing was charged. Please try again.', { id: 'billing.error-unexpected' });
  }
}

@localized()
@customElement('sprout-bills')
export class SproutBills extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      section.guarantor { margin-block-end: var(--sprout-space-6, 1.5rem); }
      article { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); padding: var(--sprout-space-3, 0.75rem); margin-block-end: var(--sprout-space-3, 0.75rem); }
      .balance { font-size: 1.25rem; font-weight: 700; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: start; padding: 0.25rem 0.5rem 0.25rem 0; vertical-align: top; overflow-wrap: anywhere; }
      td.amount, th.amount { text-align: end; white-space: nowrap; }
      form, .confirm { display: grid; gap: var(--sprout-space-3, 0.75rem); max-width: 30rem; }
      label { display: grid; gap: 0.25rem; font-weight: 600; }
      input { font: inherit; padding: 0.5rem; min-height: 2.75rem; width: 100%; box-sizing: border-box; border: 1px solid #6b7280; border-radius: 4px; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2, 0.5rem); }
      button { min-height: 2.75rem; }
      .error { color: #8a1020; background: #fde8ea; padding: 0.75rem; border-radius: 4px; }
      .done { background: #e7f5ec; padding: 0.75rem; border-radius: 4px; }
      .note { color: var(--sprout-color-muted, #4a4f57); }
    `,
  ];

  @state() private mode: Mode = { kind: 'idle' };

  private readonly bills = new Task(this, {
    task: ([], { signal }) => fetchBills(signal),
    args: () => [] as const,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    const checkout = new URLSearchParams(window.location.search).get('checkout');
    if (checkout !== null && /^[A-Za-z0-9_-]{8,128}$/.test(checkout)) void this.finish(checkout);
  }

  private money(cents: number, currency = 'USD'): string {
    return new Intl.NumberFormat(activeLocale() === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency }).format(cents / 100);
  }

  /** Back from the hosted page: the gateway records the verified result; "pending" (webhook not in yet) is retried. */
  private async finish(checkout: string): Promise<void> {
    this.mode = { kind: 'finishing' };
    const key = newIdempotencyKey();
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await postBilling<{ status: 'approved' | 'declined' | 'canceled'; amountCents?: number }>('payments/complete', { checkout }, key, activeLocale());
        this.mode = { kind: 'done', status: result.status, ...(result.amountCents === undefined ? {} : { amountCents: result.amountCents }) };
        break;
      } catch (error) {
        const code = error instanceof BillingError ? error.code : 'unexpected';
        if (code === 'payment-pending' && attempt < PENDING_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        this.mode = { kind: 'failed', error: billingErrorText(code) };
        break;
      }
    }
    navigate('/bills', { replace: true });
    void this.bills.run();
  }

  private async pay(mode: Extract<Mode, { kind: 'confirm' }>): Promise<void> {
    try {
      const started = await postBilling<{ redirectUrl: string }>('payments', { patientId: mode.account.patientId, accountId: mode.account.id, amountCents: mode.amountCents }, mode.key, activeLocale());
      this.mode = { kind: 'leaving' };
      window.location.assign(started.redirectUrl);
    } catch (error) {
      this.mode = { ...mode, error: billingErrorText(error instanceof BillingError ? error.code : 'unexpected') };
    }
  }

  private renderStatus() {
    const mode = this.mode;
    if (mode.kind === 'finishing') return html`<p role="status">${msg('Checking your payment…', { id: 'billing.finishing' })}</p>`;
    if (mode.kind === 'failed') return html`<p class="error" role="alert">${mode.error}</p>`;
    if (mode.kind !== 'done') return nothing;
    const text = mode.status === 'approved'
      ? msg(str`Thank you. Your payment of ${this.money(mode.amountCents ?? 0)} was received.`, { id: 'billing.paid' })
      : mode.status === 'declined'
        ? msg('The payment was declined. Nothing was charged.', { id: 'billing.declined' })
        : msg('You cancelled the payment. Nothing was charged.', { id: 'billing.canceled' });
    return html`<p class=${mode.status === 'approved' ? 'done' : 'error'} role="status">${text}</p>`;
  }

  private renderPay(account: Account, canPay: boolean) {
    const mode = this.mode;
    if ((mode.kind === 'form' || mode.kind === 'confirm') && mode.account.id === account.id) {
      if (mode.kind === 'form') {
        const submit = (event: Event) => {
          event.preventDefault();
          const cents = parseAmount(mode.amount);
          if (cents === undefined || cents < 50 || cents > account.balanceCents) {
            this.mode = { ...mode, error: billingErrorText('invalid-amount') };
            return;
          }
          this.mode = { kind: 'confirm', account, amountCents: cents, key: newIdempotencyKey() };
        };
        return html`<form @submit=${submit} novalidate>
          ${mode.error ? html`<p class="error" role="alert">${mode.error}</p>` : nothing}
          <label>${msg('Amount to pay (US dollars)', { id: 'billing.amount' })}
            <input name="amount" inputmode="decimal" autocomplete="off" .value=${mode.amount} aria-invalid=${mode.error ? 'true' : 'false'}
              @input=${(e: Event) => { this.mode = { ...mode, amount: (e.target as HTMLInputElement).value }; }}>
          </label>
          <div class="actions">
            <button type="submit">${msg('Continue', { id: 'billing.continue' })}</button>
            <button type="button" @click=${() => { this.mode = { kind: 'idle' }; }}>${msg('Cancel', { id: 'billing.cancel' })}</button>
          </div>
        </form>`;
      }
      return html`<div class="confirm">
        ${mode.error ? html`<p class="error" role="alert">${mode.error}</p>` : nothing}
        <p>${msg(str`Pay ${this.money(mode.amountCents, account.currency)} on ${account.name}?`, { id: 'billing.confirm' })}</p>
        <p class="note">${msg("You will enter your card on the payment processor's secure page. Sprout never sees your card number.", { id: 'billing.confirm-note' })}</p>
        <div class="actions">
          <button type="button" @click=${() => void this.pay(mode)}>${msg('Go to the secure payment page', { id: 'billing.go-pay' })}</button>
          <button type="button" @click=${() => { this.mode = { kind: 'form', account, amount: (mode.amountCents / 100).toFixed(2) }; }}>${msg('Back', { id: 'billing.back' })}</button>
        </div>
      </div>`;
    }
    if (!canPay || account.balanceCents < 50) return nothing;
    return html`<button type="button" @click=${() => { this.mode = { kind: 'form', account, amount: (account.balanceCents / 100).toFixed(2) }; }}>
      ${msg(str`Pay ${account.patientName}'s bill`, { id: 'billing.pay' })}
    </button>`;
  }

  private renderAccount(account: Account, canPay: boolean) {
    return html`<article aria-labelledby="acct-${account.id}">
      <h3 id="acct-${account.id}">${account.patientName}</h3>
      <p>${msg('Balance due', { id: 'billing.balance' })}: <span class="balance">${this.money(account.balanceCents, account.currency)}</span></p>
      ${account.level === 'balance-only' ? html`<p class="note">${msg('Only the balance is shown for this account. For details, please call the billing office.', { id: 'billing.balance-only' })}</p>` : nothing}
      ${(account.statements ?? []).map((statement) => html`
        <h4>${msg(str`Statement ${statement.number ?? ''} of ${statement.date ?? ''}`, { id: 'billing.statement' })} — ${this.money(statement.owedCents, account.currency)}</h4>
        ${statement.lines === undefined
          ? html`<p class="note">${msg('The services on this statement are not shown here. Please call the billing office for details.', { id: 'billing.lines-withheld' })}</p>`
          : html`<table>
              <thead><tr><th scope="col">${msg('Date', { id: 'billing.date' })}</th><th scope="col">${msg('Service', { id: 'billing.service' })}</th><th scope="col" class="amount">${msg('You owe', { id: 'billing.owed' })}</th></tr></thead>
              <tbody>${statement.lines.map((line) => html`<tr><td>${line.date ?? ''}</td><td>${line.description}</td><td class="amount">${this.money(line.owedCents, account.currency)}</td></tr>`)}</tbody>
            </table>`}
      `)}
      <h4>${msg('Payments', { id: 'billing.payments' })}</h4>
      ${account.payments.length === 0
        ? html`<p class="note">${msg('No payments yet.', { id: 'billing.no-payments' })}</p>`
        : html`<ul>${account.payments.map((p) => html`<li>${p.date ?? ''}: ${this.money(p.amountCents, account.currency)}</li>`)}</ul>`}
      <p><a href=${statementUrl(account.id, activeLocale())} target="_blank" rel="noopener">${msg(str`Statement for ${account.patientName} (PDF)`, { id: 'billing.statement-pdf' })}</a></p>
      ${this.renderPay(account, canPay)}
    </article>`;
  }

  override render() {
    return html`
      <h1>${msg('Bills', { id: 'billing.title' })}</h1>
      ${this.renderStatus()}
      ${this.bills.render({
        pending: () => html`<p role="status">${msg('Loading your bills…', { id: 'billing.loading' })}</p>`,
        error: () => html`<p class="error" role="alert">${msg('Your bills could not be loaded. Please try again.', { id: 'billing.load-failed' })}</p>`,
        complete: (bills) => bills.guarantors.length === 0
          ? html`<p>${msg('There are no bills to show.', { id: 'billing.none' })}</p>`
          : bills.guarantors.map((g) => html`<section class="guarantor" aria-label=${g.display ?? msg('Account', { id: 'billing.account' })}>
              <h2>${g.display ?? msg('Account', { id: 'billing.account' })}</h2>
              <p>${msg('Total due', { id: 'billing.total' })}: <strong>${this.money(g.balanceCents)}</strong></p>
              ${g.accounts.map((a) => this.renderAccount(a, bills.canPay))}
            </section>`),
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-bills': SproutBills;
  }
}
