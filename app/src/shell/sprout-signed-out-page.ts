/**
 * The landing page when nobody is signed in: a short, kind description and the "Sign in" button (standalone
 * SMART launch at the gateway's /login). After a sign-out or timeout it says what happened.
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ServedActionKind } from '../api/session.ts';
import type { SignedOutReason } from './router.ts';
import { signedOutPageStyles } from './sprout-signed-out-page.styles.ts';

@localized()
@customElement('sprout-signed-out-page')
export class SproutSignedOutPage extends LitElement {
  static override styles = signedOutPageStyles;

  @property({ attribute: false }) reason?: SignedOutReason;
  /** The gateway's sign-in URL (SignedOutView.loginUrl); always a same-origin path. */
  @property({ attribute: false }) loginUrl = '/login';
  /**
   * The actions this deployment serves (SignedOutView.servedActions): the page describes only these. Absent (after a
   * sign-out, where no session is asked for) describes the record alone.
   */
  @property({ attribute: false }) servedActions?: readonly ServedActionKind[];

  override render() {
    const served = this.servedActions ?? [];
    return html`
      <h1>${msg('Welcome to Sprout', { id: 'signin.title' })}</h1>
      <p class="notice" role="status">${this.reasonText()}</p>
      <p>${msg("Sprout is a secure place to see your child's health information online.", { id: 'signin.description-record' })}</p>
      ${served.length > 0
        ? html`<p id="signin-also">${msg('In this portal you can also:', { id: 'signin.also' })}</p>
            <ul class="served" aria-labelledby="signin-also">
              ${served.map((kind) => html`<li>${servedActionLabel(kind)}</li>`)}
            </ul>`
        : nothing}
      <p><a class="button sign-in" href=${this.loginUrl}>${msg('Sign in', { id: 'signin.button' })}</a></p>
      <p>${msg("Don't have an account yet? Ask your child's care team at your next visit.", { id: 'signin.no-account' })}</p>
    `;
  }

  private reasonText(): string {
    switch (this.reason) {
      case 'signed-out':
        return msg('You have signed out. Thank you for using Sprout.', { id: 'signedout.signed-out' });
      case 'idle':
        return msg("To protect your family's privacy, we signed you out after a time without activity.", { id: 'signedout.idle' });
      case 'expired':
        return msg('Your session has ended. Please sign in again.', { id: 'signedout.expired' });
      case 'everywhere':
        return msg('You have signed out on every device.', { id: 'signedout.everywhere' });
      case 'reported':
        return msg('Sign-in to your account is paused. Please call the hospital to turn it back on.', { id: 'signedout.reported' });
      case undefined:
        return '';
    }
  }
}

/** What a served action lets a family do, for the landing page. */
export function servedActionLabel(kind: ServedActionKind): string {
  switch (kind) {
    case 'messages':
      return msg('Send messages to the care team', { id: 'access.feature-messages' });
    case 'appointment-requests':
      return msg('Request appointments', { id: 'access.feature-appointments' });
    case 'renewals':
      return msg('Request prescription renewals', { id: 'access.feature-renewals' });
    case 'bills':
      return msg('View and pay bills', { id: 'access.feature-bills' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-signed-out-page': SproutSignedOutPage;
  }
}
