/**
 * <sprout-calendar-feed>: the family's private calendar link — make one (the previous one stops working), copy it into
 * a calendar app, or stop it. The link shows booked appointments with times and first names only.
 */
import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared.styles.ts';
import { calendarFeedExists, CareError, changeCalendarFeed } from './care-api.ts';
import { careErrorText } from './care-request-text.ts';

@localized()
@customElement('sprout-calendar-feed')
export class SproutCalendarFeed extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      label { display: grid; gap: 0.25rem; font-weight: 600; }
      input { font: inherit; padding: 0.5rem; min-height: 2.75rem; width: 100%; border: 1px solid #6b7280; border-radius: 4px; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2, 0.5rem); }
      .error { color: #8a1020; background: #fde8ea; padding: 0.75rem; border-radius: 4px; }
    `,
  ];

  @state() private exists = false;
  @state() private url: string | undefined;
  @state() private error: string | undefined;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    calendarFeedExists().then((exists) => (this.exists = exists)).catch(() => undefined);
  }

  override render(): TemplateResult {
    return html`<h3>${msg('Calendar link', { id: 'requests.feed-title' })}</h3>
      <p>${msg('A private link your calendar app can subscribe to: booked appointments with their times, and nothing about why.', { id: 'requests.feed-explain' })}</p>
      ${this.error === undefined ? nothing : html`<p class="error" role="alert">${this.error}</p>`}
      ${this.url === undefined ? nothing : html`<label>${msg('Your calendar link (copy it into your calendar app)', { id: 'requests.feed-url' })}
          <input readonly .value=${this.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()}></label>`}
      ${this.exists && this.url === undefined ? html`<p>${msg('You have a calendar link. For your privacy it is shown only once; make a new one if you need it again.', { id: 'requests.feed-exists' })}</p>` : nothing}
      <div class="actions">
        <button class="button secondary" type="button" ?disabled=${this.busy} @click=${() => void this.change('POST')}>
          ${this.exists ? msg('Make a new link (the old one stops working)', { id: 'requests.feed-rotate' }) : msg('Make a calendar link', { id: 'requests.feed-create' })}</button>
        ${this.exists ? html`<button class="button secondary" type="button" ?disabled=${this.busy} @click=${() => void this.change('DELETE')}>${msg('Stop the link', { id: 'requests.feed-revoke' })}</button>` : nothing}
      </div>`;
  }

  private async change(method: 'POST' | 'DELETE'): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      this.url = await changeCalendarFeed(method);
      this.exists = method === 'POST';
    } catch (error) {
      this.error = careErrorText(error instanceof CareError ? error.code : 'unexpected');
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-calendar-feed': SproutCalendarFeed;
  }
}
