/**
 * The landing page when nobody is signed in: a short, kind description and the "Sign in" button (standalone
 * SMART launch at the gateway's /login). After a sign-out or timeout it says what happened.
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SignedOutReason } from './router.ts';
import { signedOutPageStyles } from './sprout-signed-out-page.styles.ts';

@localized()
@customElement('sprout-signed-out-page')
export class SproutSignedOutPage extends LitElement {
  static override styles = signedOutPageStyles;

  @property({ attribute: false }) reason?: SignedOutReason;
  /** The gateway's sign-in URL (SignedOutView.loginUrl); always a same-origin path. */
  @property({ attribute: false }) loginUrl = '/login';

  override render() {
    return html`
      <h1>${msg('Welcome to Sprout', { id: 'signin.title' })}</h1>
      <p class="notice" role="status">${this.reasonText()}</p>
      <p>
        ${msg(
          "Sprout is a secure place to see your child's health information, send messages to the care team, and manage appointments and bills.",
          { id: 'signin.description' },
        )}
      </p>
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

declare global {
  interface HTMLElementTagNameMap {
    'sprout-signed-out-page': SproutSignedOutPage;
  }
}
