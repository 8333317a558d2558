/**
 * <sprout-slot-booking patient-id=… .visitTypes=…>: self-scheduling where the hospital allows it — pick a visit type,
 * pick an open time, confirm, booked. When someone else took the time a moment earlier the gateway says so
 * ("that time was just taken"); the list is reloaded and the note the family typed is kept. Fires `booking-done`
 * (booked) and `booking-cancel` (closed) for the Requests section to refresh or close.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fallbackFormatters } from '../components/format-fallback.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { CareError, newIdempotencyKey, openSlots, postCareAction, type OpenSlot } from './care-api.ts';
import { careErrorText } from './care-request-text.ts';

@localized()
@customElement('sprout-slot-booking')
export class SproutSlotBooking extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      form, .confirm { display: grid; gap: var(--sprout-space-3, 0.75rem); max-width: 36rem; }
      label { display: grid; gap: 0.25rem; font-weight: 600; }
      select, textarea { font: inherit; padding: 0.5rem; min-height: 2.75rem; width: 100%; border: 1px solid #6b7280; border-radius: 4px; }
      fieldset { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); display: grid; gap: 0.25rem; max-height: 20rem; overflow-y: auto; }
      fieldset label { font-weight: 400; display: flex; gap: 0.5rem; align-items: center; min-height: 2.75rem; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2, 0.5rem); }
      .error { color: #8a1020; background: #fde8ea; padding: 0.75rem; border-radius: 4px; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; }
    `,
  ];

  @property({ attribute: 'patient-id' }) patientId = '';
  @property({ attribute: false }) visitTypes: readonly { code: string; display: string }[] = [];

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private visitType = '';
  @state() private slots: readonly OpenSlot[] | undefined;
  @state() private slotId = '';
  @state() private details = '';
  @state() private confirmKey: string | undefined;
  @state() private error: string | undefined;
  @state() private sending = false;

  private get fmt(): Formatters {
    return this.format ?? fallbackFormatters();
  }

  private when(iso: string): string {
    return new Intl.DateTimeFormat(this.fmt.locale, { weekday: 'short', dateStyle: undefined, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: this.fmt.timeZone }).format(new Date(iso));
  }

  private async loadSlots(visitType: string): Promise<void> {
    this.visitType = visitType;
    this.slots = undefined;
    this.slotId = '';
    if (visitType === '') return;
    try {
      this.slots = await openSlots(this.patientId, visitType);
    } catch {
      this.error = careErrorText('upstream-unavailable');
      this.slots = [];
    }
  }

  override render(): TemplateResult {
    return this.confirmKey === undefined ? this.renderForm() : this.renderConfirm(this.confirmKey);
  }

  private renderError(): TemplateResult | typeof nothing {
    return this.error === undefined ? nothing : html`<p class="error" role="alert" tabindex="-1">${this.error}</p>`;
  }

  private renderForm(): TemplateResult {
    return html`<form @submit=${(e: Event) => this.review(e)} novalidate>
      <h3>${msg('Book a visit online', { id: 'requests.book' })}</h3>
      ${this.renderError()}
      <label>${msg('Kind of visit', { id: 'requests.visit-type' })}
        <select name="visitType" @change=${(e: Event) => void this.loadSlots((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${this.visitType === ''}>${msg('Choose…', { id: 'requests.choose' })}</option>
          ${this.visitTypes.map((t) => html`<option value=${t.code} ?selected=${t.code === this.visitType}>${t.display}</option>`)}
        </select></label>
      ${this.slots === undefined ? nothing : this.slots.length === 0
        ? html`<p>${msg('No open times in the coming weeks. Please request an appointment instead.', { id: 'requests.no-slots' })}</p>`
        : html`<fieldset><legend>${msg('Open times', { id: 'requests.open-times' })}</legend>
            ${this.slots.map((s) => html`<label><input type="radio" name="slot" value=${s.id} .checked=${s.id === this.slotId} @change=${() => (this.slotId = s.id)}>${this.when(s.start)} · ${s.clinic}</label>`)}
          </fieldset>`}
      <label>${msg('Anything the clinic should know (optional)', { id: 'requests.booking-note' })}
        <textarea name="details" rows="2" maxlength="1000" .value=${this.details} @input=${(e: Event) => (this.details = (e.target as HTMLTextAreaElement).value)}></textarea></label>
      <div class="actions">
        <button class="button" type="submit">${msg('Review booking', { id: 'requests.review-booking' })}</button>
        <button class="button secondary" type="button" @click=${() => this.dispatchEvent(new CustomEvent('booking-cancel', { bubbles: true, composed: true }))}>${msg('Cancel', { id: 'requests.cancel' })}</button>
      </div>
    </form>`;
  }

  private review(event: Event): void {
    event.preventDefault();
    if (this.slotId === '') {
      this.error = msg('Please choose a kind of visit and a time.', { id: 'requests.error-choose-slot' });
      return;
    }
    this.error = undefined;
    this.confirmKey = newIdempotencyKey();
  }

  private renderConfirm(key: string): TemplateResult {
    const slot = this.slots?.find((s) => s.id === this.slotId);
    return html`<div class="confirm">
      <h3>${msg('Please check your booking', { id: 'requests.confirm-booking' })}</h3>
      ${this.renderError()}
      <dl>
        <dt>${msg('Kind of visit', { id: 'requests.visit-type' })}</dt><dd>${this.visitTypes.find((t) => t.code === this.visitType)?.display ?? ''}</dd>
        <dt>${msg('When', { id: 'requests.when' })}</dt><dd>${slot === undefined ? '' : this.when(slot.start)}</dd>
        <dt>${msg('Where', { id: 'requests.where' })}</dt><dd>${slot?.clinic ?? ''}</dd>
      </dl>
      <div class="actions">
        <button class="button" type="button" ?disabled=${this.sending} @click=${() => void this.book(key)}>${msg('Book this time', { id: 'requests.book-this' })}</button>
        <button class="button secondary" type="button" ?disabled=${this.sending} @click=${() => (this.confirmKey = undefined)}>${msg('Change', { id: 'requests.change' })}</button>
      </div>
    </div>`;
  }

  private async book(key: string): Promise<void> {
    this.sending = true;
    this.error = undefined;
    try {
      await postCareAction('bookings', { patientId: this.patientId, slotId: this.slotId, visitType: this.visitType, details: this.details.trim() }, key, this.fmt.locale);
      this.dispatchEvent(new CustomEvent('booking-done', { bubbles: true, composed: true }));
    } catch (error) {
      const code = error instanceof CareError ? error.code : 'unexpected';
      this.error = careErrorText(code);
      if (code === 'slot-taken' || code === 'slot-gone') {
        // Back to the list, reloaded; the note stays.
        this.confirmKey = undefined;
        const message = this.error;
        await this.loadSlots(this.visitType);
        this.error = message;
      } else if (!(code === 'offline' || code === 'action-in-progress' || code.startsWith('upstream'))) {
        this.confirmKey = undefined;
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.error')?.focus();
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-slot-booking': SproutSlotBooking;
  }
}
