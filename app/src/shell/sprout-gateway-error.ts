/**
 * Shows why a request failed, in the family's language, for any element's failed @lit/task:
 *   error: (e) => html`<sprout-gateway-error .error=${e}></sprout-gateway-error>`
 * Never shows server text. For an ended session it offers "Sign in again"; otherwise an optional retry
 * fires `sprout-retry` (user action).
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { messageForError } from '../api/error-messages.ts';
import { GatewayError } from '../api/gateway-client.ts';
import { gatewayErrorStyles } from './sprout-gateway-error.styles.ts';

@localized()
@customElement('sprout-gateway-error')
export class SproutGatewayError extends LitElement {
  static override styles = gatewayErrorStyles;

  @property({ attribute: false }) error: unknown;
  /** Show a "Try again" button that fires `sprout-retry`. */
  @property({ type: Boolean }) retryable = false;

  override render() {
    const expired = this.error instanceof GatewayError && this.error.kind === 'session-expired';
    return html`
      <div role="alert">
        <p>${messageForError(this.error)}</p>
        ${expired
          ? html`<p><a class="button" href="/login">${msg('Sign in again', { id: 'error.sign-in-again' })}</a></p>`
          : this.retryable
            ? html`<p><button class="button secondary" type="button" @click=${this.retry}>${msg('Try again', { id: 'error.retry' })}</button></p>`
            : nothing}
      </div>
    `;
  }

  private retry(): void {
    this.dispatchEvent(new CustomEvent('sprout-retry', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-gateway-error': SproutGatewayError;
  }
  interface HTMLElementEventMap {
    'sprout-retry': CustomEvent<undefined>;
  }
}
