/**
 * "Account safety" in the header: one button that opens a modal <dialog> with the two protective actions, each
 * confirmed before it runs (the gateway's /api/account routes, CSRF-checked):
 *  - Sign out everywhere: ends every session of this account, on every device → /signed-out?reason=everywhere.
 *  - Someone else used my account: ends every session, pauses sign-in until the hospital turns it back on, and
 *    then says whom to call (the hospital's Health Information Management phone, as a tel: link).
 * Focus moves into the dialog, Escape closes it (except after a report, where the page must move on), and focus
 * returns to the button on close.
 */
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { GatewayError, postGateway } from '../api/gateway-client.ts';
import { messageForError } from '../api/error-messages.ts';
import { accountSafetyStyles } from './sprout-account-safety.styles.ts';

export const SIGN_OUT_EVERYWHERE_PATH = '/api/account/sign-out-everywhere';
export const REPORT_UNAUTHORIZED_ACCESS_PATH = '/api/account/report-unauthorized-access';

type Step = 'closed' | 'choose' | 'confirm-everywhere' | 'confirm-report' | 'reported';

interface ReportAnswer {
  readonly help?: { readonly hospitalName?: unknown; readonly himPhone?: unknown };
}

/** A phone number as a tel: URI (digits and a leading +), or undefined. */
export function telHref(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return /\d/.test(digits) ? `tel:${digits}` : undefined;
}

@localized()
@customElement('sprout-account-safety')
export class SproutAccountSafety extends LitElement {
  static override styles = accountSafetyStyles;

  @property({ attribute: false }) csrfToken?: string;
  @property({ attribute: false }) hospitalName = '';
  @property({ attribute: false }) himPhone?: string;

  @state() private step: Step = 'closed';
  @state() private busy = false;
  @state() private errorMessage = '';

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('.open-button') private openButton?: HTMLButtonElement;

  override render() {
    return html`
      <button class="button open-button" type="button" aria-haspopup="dialog" @click=${() => this.go('choose')}>
        ${msg('Account safety', { id: 'account.open' })}
      </button>
      <dialog aria-labelledby="account-title" @cancel=${this.onCancel} @close=${this.onClose}>${this.step === 'closed' ? nothing : this.renderStep()}</dialog>
    `;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('step')) return;
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.step === 'closed') {
      if (dialog.open) dialog.close();
      return;
    }
    if (!dialog.open) dialog.showModal();
    // Each step starts on its first control (the safe choice where there is one).
    dialog.querySelector<HTMLElement>('[data-initial-focus]')?.focus();
  }

  private renderStep() {
    const error = this.errorMessage ? html`<p class="error" role="alert">${this.errorMessage}</p>` : nothing;
    switch (this.step) {
      case 'choose':
        return html`
          <h2 id="account-title">${msg('Account safety', { id: 'account.open' })}</h2>
          <ul class="choices">
            <li>
              <button class="button secondary" type="button" data-initial-focus @click=${() => this.go('confirm-everywhere')}>
                ${msg('Sign out everywhere', { id: 'account.everywhere' })}
              </button>
              <p>${msg('Ends your sessions on every phone, tablet and computer, including this one.', { id: 'account.everywhere-hint' })}</p>
            </li>
            <li>
              <button class="button secondary" type="button" @click=${() => this.go('confirm-report')}>
                ${msg('Someone else used my account', { id: 'account.report' })}
              </button>
              <p>
                ${msg('Signs out every device and pauses sign-in to your account until you call the hospital.', { id: 'account.report-hint' })}
              </p>
            </li>
          </ul>
          <div class="actions">
            <button class="button secondary" type="button" @click=${() => this.go('closed')}>${msg('Close', { id: 'account.close' })}</button>
          </div>
        `;
      case 'confirm-everywhere':
        return html`
          <h2 id="account-title">${msg('Sign out everywhere?', { id: 'account.everywhere-title' })}</h2>
          <p>${msg('You will be signed out on every device, including this one. You can sign in again right away.', { id: 'account.everywhere-text' })}</p>
          ${error}
          <div class="actions">
            <button class="button" type="button" ?disabled=${this.busy} @click=${this.signOutEverywhere}>
              ${msg('Sign out everywhere', { id: 'account.everywhere' })}
            </button>
            <button class="button secondary" type="button" data-initial-focus ?disabled=${this.busy} @click=${() => this.go('choose')}>
              ${msg('Cancel', { id: 'account.cancel' })}
            </button>
          </div>
        `;
      case 'confirm-report':
        return html`
          <h2 id="account-title">${msg('Report that someone else used your account?', { id: 'account.report-title' })}</h2>
          <p>
            ${msg(
              'We will sign out every device and pause sign-in to your account to keep your family’s records safe. To turn sign-in back on, you will need to call the hospital.',
              { id: 'account.report-text' },
            )}
          </p>
          ${error}
          <div class="actions">
            <button class="button danger" type="button" ?disabled=${this.busy} @click=${this.report}>
              ${msg('Report and pause sign-in', { id: 'account.report-confirm' })}
            </button>
            <button class="button secondary" type="button" data-initial-focus ?disabled=${this.busy} @click=${() => this.go('choose')}>
              ${msg('Cancel', { id: 'account.cancel' })}
            </button>
          </div>
        `;
      case 'reported':
        return html`
          <h2 id="account-title">${msg('Sign-in is paused', { id: 'account.reported-title' })}</h2>
          <p role="status">${msg('We signed out every device and paused sign-in to your account.', { id: 'account.reported-text' })}</p>
          <p>${this.renderWhomToCall()}</p>
          <div class="actions">
            <button class="button" type="button" data-initial-focus @click=${this.leaveReported}>${msg('Done', { id: 'account.done' })}</button>
          </div>
        `;
      case 'closed':
        return nothing;
    }
  }

  private renderWhomToCall() {
    const hospital = this.hospitalName;
    const href = this.himPhone === undefined ? undefined : telHref(this.himPhone);
    if (this.himPhone === undefined || href === undefined) {
      return msg(str`To turn sign-in back on, call ${hospital} and ask for Health Information Management.`, { id: 'account.call-no-phone' });
    }
    return html`${msg(str`To turn sign-in back on, call ${hospital} Health Information Management:`, { id: 'account.call' })}
      <a href=${href}>${this.himPhone}</a>`;
  }

  private go(step: Step): void {
    this.errorMessage = '';
    this.step = step;
  }

  private readonly onCancel = (event: Event): void => {
    // After a report the session is gone: the page must move on through "Done", not stay behind a closed dialog.
    if (this.step === 'reported' || this.busy) event.preventDefault();
  };

  private readonly onClose = (): void => {
    if (this.step !== 'closed' && this.step !== 'reported') this.step = 'closed';
    if (this.step === 'closed') this.openButton?.focus();
  };

  private csrfOption(): { csrfToken?: string } {
    return this.csrfToken === undefined ? {} : { csrfToken: this.csrfToken };
  }

  private readonly signOutEverywhere = async (): Promise<void> => {
    if (!(await this.post(SIGN_OUT_EVERYWHERE_PATH))) return;
    window.location.assign('/signed-out?reason=everywhere');
  };

  private readonly report = async (): Promise<void> => {
    const answer = await this.post<ReportAnswer>(REPORT_UNAUTHORIZED_ACCESS_PATH);
    if (answer === false) return;
    const phone = answer?.help?.himPhone;
    if (typeof phone === 'string') this.himPhone = phone;
    const hospital = answer?.help?.hospitalName;
    if (typeof hospital === 'string' && hospital !== '') this.hospitalName = hospital;
    this.go('reported');
  };

  private readonly leaveReported = (): void => {
    window.location.assign('/signed-out?reason=reported');
  };

  /** POSTs with the CSRF token; false (with the error shown) when it failed. */
  private async post<T>(path: string): Promise<T | undefined | false> {
    if (this.busy) return false;
    this.busy = true;
    this.errorMessage = '';
    try {
      return await postGateway<T>(path, {}, AbortSignal.timeout(15_000), this.csrfOption());
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'session-expired') {
        window.location.assign('/signed-out?reason=expired');
        return false;
      }
      this.errorMessage = messageForError(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-account-safety': SproutAccountSafety;
  }
}
