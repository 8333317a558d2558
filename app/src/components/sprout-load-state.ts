/**
 * <sprout-load-state>: the one way record views say "loading", "nothing here" and "that failed — try again".
 * - `state="loading"`: a polite live status ("Loading…" or `message`).
 * - `state="empty"`: `message` as plain text (each list says what is empty: "No allergies recorded").
 * - `state="error"`: an alert with `message` (a localized sentence, never server text) and a Retry button
 *   that fires `sprout-retry` — an upstream failure never leaves a blank page.
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared.styles.ts';
import { loadStateStyles } from './sprout-load-state.styles.ts';

export const RETRY_EVENT = 'sprout-retry';
export const LOAD_STATES = ['loading', 'empty', 'error'] as const;
export type LoadState = (typeof LOAD_STATES)[number];

@localized()
@customElement('sprout-load-state')
export class SproutLoadState extends LitElement {
  static override styles = [sharedStyles, loadStateStyles];

  @property({ reflect: true }) state: LoadState = 'loading';
  @property() message = '';

  override render(): TemplateResult {
    switch (this.state) {
      case 'error':
        return html`<div class="box error" role="alert" data-testid="load-error">
          <p>${this.message || msg('Something went wrong on our side. Please try again later.', { id: 'record.load-failed' })}</p>
          <button type="button" class="button" @click=${this.retry}>${msg('Try again', { id: 'record.retry' })}</button>
        </div>`;
      case 'empty':
        return html`<p class="empty">${this.message}</p>`;
      case 'loading':
      default:
        return html`<div class="loading" role="status">
          <span class="spinner" aria-hidden="true"></span><span>${this.message || msg('Loading…', { id: 'record.loading' })}</span>
        </div>`;
    }
  }

  private readonly retry = (): void => {
    this.dispatchEvent(new CustomEvent(RETRY_EVENT, { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-load-state': SproutLoadState;
  }
  interface HTMLElementEventMap {
    [RETRY_EVENT]: CustomEvent<undefined>;
  }
}
