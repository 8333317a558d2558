/**
 * <sprout-care-requests patient-id=…>: the family's Requests for one patient (where each stands, the clinic's answer),
 * and the two ways to ask: request an appointment (reason, clinician or clinic from the care team, up to three
 * preferred times, phone) and request a prescription renewal (only where the gateway offers it; a kind word where a
 * visit is needed instead). Every action goes form → confirmation → send; a failure returns to the form with its
 * localized sentence and everything typed kept, and sending again re-uses the same idempotency key.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fallbackFormatters } from '../components/format-fallback.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { CareError, careOptions, careRequests, newIdempotencyKey, postCareAction, type CareOptions, type CareRequestView } from './care-api.ts';
import { zonedInstant } from './zoned-time.ts';
import { careErrorText, kindText, reasonText, renewalNeedsVisitText, stateText } from './care-request-text.ts';
import './sprout-slot-booking.ts';
import './sprout-calendar-feed.ts';

interface AppointmentDraft {
  reason: string;
  details: string;
  with: string;
  windows: { date: string; from: string; to: string }[];
  phone: string;
}

type Mode =
  | { kind: 'idle' }
  | { kind: 'appointment-form' }
  | { kind: 'appointment-confirm'; key: string }
  | { kind: 'renewal-form'; medicationId: string }
  | { kind: 'renewal-confirm'; medicationId: string; key: string }
  | { kind: 'booking' }
  | { kind: 'sent'; what: 'appointment' | 'renewal' | 'booking' };

const emptyWindow = () => ({ date: '', from: '09:00', to: '12:00' });

@localized()
@customElement('sprout-care-requests')
export class SproutCareRequests extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; margin-block-end: var(--sprout-space-6, 1.5rem); }
      ul.requests { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--sprout-space-2, 0.5rem); }
      ul.requests li { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); padding: var(--sprout-space-3, 0.75rem); }
      .state { font-weight: 600; }
      form, .confirm { display: grid; gap: var(--sprout-space-3, 0.75rem); max-width: 36rem; }
      label { display: grid; gap: 0.25rem; font-weight: 600; }
      input, select, textarea { font: inherit; padding: 0.5rem; min-height: 2.75rem; width: 100%; border: 1px solid #6b7280; border-radius: 4px; }
      fieldset { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); display: grid; gap: var(--sprout-space-2, 0.5rem); }
      .row { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2, 0.5rem); }
      .row > label { flex: 1 1 8rem; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2, 0.5rem); }
      .error { color: #8a1020; background: #fde8ea; padding: 0.75rem; border-radius: 4px; }
      .note { color: var(--sprout-color-muted, #4a4f57); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0; overflow-wrap: anywhere; }
    `,
  ];

  @property({ attribute: 'patient-id' }) patientId = '';

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private mode: Mode = { kind: 'idle' };
  @state() private draft: AppointmentDraft = { reason: 'check-up', details: '', with: '', windows: [emptyWindow()], phone: '' };
  @state() private renewalNote = { quantityNote: '', pharmacy: '' };
  @state() private error: string | undefined;
  @state() private sending = false;

  private readonly data = new Task(this, {
    task: async ([patientId], { signal }) => {
      if (patientId === '') return undefined;
      const [options, requests] = await Promise.all([careOptions(patientId, signal).catch(() => undefined), careRequests(patientId, signal).catch(() => [] as CareRequestView[])]);
      return { options, requests };
    },
    args: () => [this.patientId] as const,
  });

  override render(): TemplateResult | typeof nothing {
    const loaded = this.data.value;
    if (loaded === undefined) return nothing;
    const { options, requests } = loaded;
    if ((options === undefined || (!options.appointmentRequests && !options.renewals)) && requests.length === 0) return nothing;
    return html`<section aria-labelledby="requests-h" data-testid="care-requests">
      <h2 id="requests-h">${msg('Requests', { id: 'requests.title' })}</h2>
      ${this.renderMode(options)}
      <h3>${msg('Your requests', { id: 'requests.list-title' })}</h3>
      ${requests.length === 0
        ? html`<p class="note">${msg('No requests yet.', { id: 'requests.empty' })}</p>`
        : html`<ul class="requests">${requests.map((r) => this.renderRequest(r))}</ul>`}
      <sprout-calendar-feed></sprout-calendar-feed>
    </section>`;
  }

  private get fmt(): Formatters {
    return this.format ?? fallbackFormatters();
  }

  private when(iso: string | undefined): string {
    if (iso === undefined) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return new Intl.DateTimeFormat(this.fmt.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.fmt.timeZone }).format(date);
  }

  private renderRequest(r: CareRequestView): TemplateResult {
    return html`<li data-testid="care-request" data-state=${r.state}>
      <strong>${kindText(r.kind)}${r.medication === undefined ? nothing : html`: ${r.medication}`}</strong>
      <div class="state">${stateText(r.state)}</div>
      <dl>
        ${r.created === undefined ? nothing : html`<dt>${msg('Asked', { id: 'requests.asked' })}</dt><dd>${this.when(r.created)}</dd>`}
        ${r.start === undefined || r.state === 'declined' ? nothing : html`<dt>${msg('When', { id: 'requests.when' })}</dt><dd>${this.when(r.start)}</dd>`}
        ${r.answer === undefined ? nothing : html`<dt>${msg('The clinic says', { id: 'requests.answer' })}</dt><dd>${r.answer}</dd>`}
      </dl>
      ${r.state === 'booked' && r.reference.startsWith('Appointment/')
        ? html`<p><a href=${`/api/care/appointments/${encodeURIComponent(r.reference.slice('Appointment/'.length))}/calendar?patient=${encodeURIComponent(this.patientId)}`} download="appointment.ics"
            >${msg('Add to calendar', { id: 'requests.add-to-calendar' })}<span class="visually-hidden">: ${this.when(r.start)}</span></a></p>`
        : nothing}
    </li>`;
  }

  private renderMode(options: CareOptions | undefined): TemplateResult | typeof nothing {
    if (options === undefined) return nothing;
    const mode = this.mode;
    switch (mode.kind) {
      case 'idle':
      case 'sent':
        return html`${mode.kind === 'sent'
            ? html`<p role="status">${mode.what === 'appointment'
                ? msg('Your request was sent. The clinic will answer here, and we will email you when it does.', { id: 'requests.sent-appointment' })
                : mode.what === 'booking'
                  ? msg('Your visit is booked. You can see it below and under Upcoming appointments.', { id: 'requests.sent-booking' })
                  : msg('Your renewal request was sent to the prescriber. The answer will show here.', { id: 'requests.sent-renewal' })}</p>`
            : nothing}
          ${options.appointmentRequests
            ? html`<p><button class="button" type="button" @click=${() => this.open({ kind: 'appointment-form' })}>${msg('Request an appointment', { id: 'requests.request-appointment' })}</button></p>`
            : nothing}
          ${options.appointmentRequests && options.selfScheduleVisitTypes.length > 0
            ? html`<p><button class="button secondary" type="button" @click=${() => this.open({ kind: 'booking' })}>${msg('Book a visit online', { id: 'requests.book' })}</button></p>`
            : nothing}
          ${options.renewals ? this.renderRenewalChoices(options) : nothing}`;
      case 'booking':
        return html`<sprout-slot-booking patient-id=${this.patientId} .visitTypes=${options.selfScheduleVisitTypes}
          @booking-done=${() => { this.mode = { kind: 'sent', what: 'booking' }; void this.data.run(); }}
          @booking-cancel=${() => this.open({ kind: 'idle' })}></sprout-slot-booking>`;
      case 'appointment-form':
        return this.renderAppointmentForm(options);
      case 'appointment-confirm':
        return this.renderAppointmentConfirm(options, mode.key);
      case 'renewal-form':
        return this.renderRenewalForm(options, mode.medicationId);
      case 'renewal-confirm':
        return this.renderRenewalConfirm(options, mode.medicationId, mode.key);
    }
  }

  private open(mode: Mode): void {
    this.error = undefined;
    this.mode = mode;
  }

  private renderError(): TemplateResult | typeof nothing {
    return this.error === undefined ? nothing : html`<p class="error" role="alert" tabindex="-1">${this.error}</p>`;
  }

  private renderRenewalChoices(options: CareOptions): TemplateResult | typeof nothing {
    const meds = options.medications.filter((m) => m.renewal === 'offered' || m.renewal === 'needs-visit');
    if (meds.length === 0) return nothing;
    return html`<h3>${msg('Prescription renewals', { id: 'requests.renewals' })}</h3>
      <ul class="requests">
        ${meds.map((m) => html`<li>
          <strong>${m.name}</strong>
          ${m.renewal === 'offered'
            ? html`<p><button class="button secondary" type="button" @click=${() => this.open({ kind: 'renewal-form', medicationId: m.id })}
                >${msg('Request a renewal', { id: 'requests.request-renewal' })}<span class="visually-hidden">: ${m.name}</span></button></p>`
            : html`<p class="note">${renewalNeedsVisitText()}</p>`}
        </li>`)}
      </ul>`;
  }

  private updateDraft(patch: Partial<AppointmentDraft>): void {
    this.draft = { ...this.draft, ...patch };
  }

  private updateWindow(index: number, patch: Partial<AppointmentDraft['windows'][number]>): void {
    this.updateDraft({ windows: this.draft.windows.map((w, i) => (i === index ? { ...w, ...patch } : w)) });
  }

  private renderAppointmentForm(options: CareOptions): TemplateResult {
    const d = this.draft;
    const withValue = d.with !== '' ? d.with : (options.careTeam[0]?.reference ?? '');
    return html`<form @submit=${(e: Event) => this.reviewAppointment(e, options)} novalidate>
      <h3>${msg('Request an appointment', { id: 'requests.request-appointment' })}</h3>
      ${this.renderError()}
      <label>${msg('Reason', { id: 'requests.reason' })}
        <select name="reason" .value=${d.reason} @change=${(e: Event) => this.updateDraft({ reason: (e.target as HTMLSelectElement).value })}>
          ${options.reasons.map((r) => html`<option value=${r} ?selected=${r === d.reason}>${reasonText(r)}</option>`)}
        </select></label>
      <label>${msg('Tell us more (optional, required for “Something else”)', { id: 'requests.details' })}
        <textarea name="details" rows="3" maxlength="1000" .value=${d.details} @input=${(e: Event) => this.updateDraft({ details: (e.target as HTMLTextAreaElement).value })}></textarea></label>
      <label>${msg('With', { id: 'requests.with' })}
        <select name="with" .value=${withValue} @change=${(e: Event) => this.updateDraft({ with: (e.target as HTMLSelectElement).value })}>
          ${options.careTeam.map((m) => html`<option value=${m.reference} ?selected=${m.reference === withValue}>${m.name}</option>`)}
        </select></label>
      ${d.windows.map((w, i) => html`<fieldset>
        <legend>${msg(str`Preferred time ${i + 1}`, { id: 'requests.window' })}</legend>
        <div class="row">
          <label>${msg('Day', { id: 'requests.window-day' })}<input type="date" name=${`date-${i}`} required .value=${w.date} @input=${(e: Event) => this.updateWindow(i, { date: (e.target as HTMLInputElement).value })}></label>
          <label>${msg('From', { id: 'requests.window-from' })}<input type="time" name=${`from-${i}`} required .value=${w.from} @input=${(e: Event) => this.updateWindow(i, { from: (e.target as HTMLInputElement).value })}></label>
          <label>${msg('To', { id: 'requests.window-to' })}<input type="time" name=${`to-${i}`} required .value=${w.to} @input=${(e: Event) => this.updateWindow(i, { to: (e.target as HTMLInputElement).value })}></label>
        </div>
        ${d.windows.length > 1 ? html`<button class="button secondary" type="button" @click=${() => this.updateDraft({ windows: d.windows.filter((_, j) => j !== i) })}>${msg('Remove this time', { id: 'requests.window-remove' })}</button>` : nothing}
      </fieldset>`)}
      ${d.windows.length < 3 ? html`<p><button class="button secondary" type="button" @click=${() => this.updateDraft({ windows: [...d.windows, emptyWindow()] })}>${msg('Add another time', { id: 'requests.window-add' })}</button></p>` : nothing}
      <label>${msg('Phone number to reach you', { id: 'requests.phone' })}
        <input type="tel" name="phone" autocomplete="tel" required .value=${d.phone} @input=${(e: Event) => this.updateDraft({ phone: (e.target as HTMLInputElement).value })}></label>
      <div class="actions">
        <button class="button" type="submit">${msg('Review request', { id: 'requests.review' })}</button>
        <button class="button secondary" type="button" @click=${() => this.open({ kind: 'idle' })}>${msg('Cancel', { id: 'requests.cancel' })}</button>
      </div>
    </form>`;
  }

  /** The windows as instants (typed as the hospital's wall-clock time), or the index of the first incomplete one. */
  private windowsOf(draft: AppointmentDraft): { start: string; end: string }[] | number {
    const out: { start: string; end: string }[] = [];
    for (const [i, w] of draft.windows.entries()) {
      const start = zonedInstant(w.date, w.from, this.fmt.timeZone);
      const end = zonedInstant(w.date, w.to, this.fmt.timeZone);
      if (start === undefined || end === undefined || end <= start) return i;
      out.push({ start: start.toISOString(), end: end.toISOString() });
    }
    return out;
  }

  private reviewAppointment(event: Event, options: CareOptions): void {
    event.preventDefault();
    if (this.draft.with === '' && options.careTeam[0] !== undefined) this.updateDraft({ with: options.careTeam[0].reference });
    const windows = this.windowsOf(this.draft);
    if (typeof windows === 'number') {
      this.error = msg(str`Please give a day and a start and end time for preferred time ${windows + 1}.`, { id: 'requests.error-window' });
      return;
    }
    if (windows.some((w) => Date.parse(w.start) <= Date.now())) {
      this.error = careErrorText('date-in-past');
      return;
    }
    if (this.draft.phone.trim() === '' || (this.draft.reason === 'other' && this.draft.details.trim() === '')) {
      this.error = careErrorText('invalid-input');
      return;
    }
    this.open({ kind: 'appointment-confirm', key: newIdempotencyKey() });
  }

  private renderAppointmentConfirm(options: CareOptions, key: string): TemplateResult {
    const d = this.draft;
    const windows = this.windowsOf(d);
    const name = options.careTeam.find((m) => m.reference === d.with)?.name ?? '';
    return html`<div class="confirm">
      <h3>${msg('Please check your request', { id: 'requests.confirm-title' })}</h3>
      ${this.renderError()}
      <dl>
        <dt>${msg('Reason', { id: 'requests.reason' })}</dt><dd>${reasonText(d.reason)}${d.details === '' ? nothing : html` — ${d.details}`}</dd>
        <dt>${msg('With', { id: 'requests.with' })}</dt><dd>${name}</dd>
        <dt>${msg('Preferred times', { id: 'requests.windows' })}</dt>
        <dd>${typeof windows === 'number' ? nothing : windows.map((w) => html`<div>${this.when(w.start)} – ${this.when(w.end)}</div>`)}</dd>
        <dt>${msg('Phone', { id: 'requests.phone-short' })}</dt><dd>${d.phone}</dd>
      </dl>
      <div class="actions">
        <button class="button" type="button" ?disabled=${this.sending} @click=${() => void this.sendAppointment(key)}>${msg('Send request', { id: 'requests.send' })}</button>
        <button class="button secondary" type="button" ?disabled=${this.sending} @click=${() => this.open({ kind: 'appointment-form' })}>${msg('Change', { id: 'requests.change' })}</button>
      </div>
    </div>`;
  }

  private async sendAppointment(key: string): Promise<void> {
    const windows = this.windowsOf(this.draft);
    if (typeof windows === 'number') return;
    await this.send(
      () => postCareAction('appointment-requests', {
        patientId: this.patientId, reason: this.draft.reason, details: this.draft.details.trim(), with: this.draft.with, windows, phone: this.draft.phone.trim(),
      }, key, this.fmt.locale),
      () => {
        this.draft = { reason: 'check-up', details: '', with: '', windows: [emptyWindow()], phone: '' };
        this.mode = { kind: 'sent', what: 'appointment' };
      },
      (error) => (error.code === 'action-in-progress' || error.code === 'offline' || error.code.startsWith('upstream') ? undefined : { kind: 'appointment-form' }),
    );
  }

  private renderRenewalForm(options: CareOptions, medicationId: string): TemplateResult {
    const med = options.medications.find((m) => m.id === medicationId);
    return html`<form @submit=${(e: Event) => { e.preventDefault(); this.open({ kind: 'renewal-confirm', medicationId, key: newIdempotencyKey() }); }}>
      <h3>${msg(str`Request a renewal of ${med?.name ?? ''}`, { id: 'requests.renewal-title' })}</h3>
      ${this.renderError()}
      <label>${msg('How much do you need? (optional)', { id: 'requests.quantity' })}
        <input name="quantity" maxlength="300" .value=${this.renewalNote.quantityNote} @input=${(e: Event) => (this.renewalNote = { ...this.renewalNote, quantityNote: (e.target as HTMLInputElement).value })}></label>
      <label>${msg('Pharmacy (optional; we use the last one if you leave this empty)', { id: 'requests.pharmacy' })}
        <input name="pharmacy" maxlength="200" .value=${this.renewalNote.pharmacy} @input=${(e: Event) => (this.renewalNote = { ...this.renewalNote, pharmacy: (e.target as HTMLInputElement).value })}></label>
      <div class="actions">
        <button class="button" type="submit">${msg('Review request', { id: 'requests.review' })}</button>
        <button class="button secondary" type="button" @click=${() => this.open({ kind: 'idle' })}>${msg('Cancel', { id: 'requests.cancel' })}</button>
      </div>
    </form>`;
  }

  private renderRenewalConfirm(options: CareOptions, medicationId: string, key: string): TemplateResult {
    const med = options.medications.find((m) => m.id === medicationId);
    return html`<div class="confirm">
      <h3>${msg('Please check your request', { id: 'requests.confirm-title' })}</h3>
      ${this.renderError()}
      <dl>
        <dt>${msg('Medicine', { id: 'requests.medicine' })}</dt><dd>${med?.name ?? ''}</dd>
        ${this.renewalNote.quantityNote === '' ? nothing : html`<dt>${msg('Amount', { id: 'requests.amount' })}</dt><dd>${this.renewalNote.quantityNote}</dd>`}
        ${this.renewalNote.pharmacy === '' ? nothing : html`<dt>${msg('Pharmacy', { id: 'requests.pharmacy-short' })}</dt><dd>${this.renewalNote.pharmacy}</dd>`}
      </dl>
      <div class="actions">
        <button class="button" type="button" ?disabled=${this.sending} @click=${() => void this.sendRenewal(medicationId, key)}>${msg('Send request', { id: 'requests.send' })}</button>
        <button class="button secondary" type="button" ?disabled=${this.sending} @click=${() => this.open({ kind: 'renewal-form', medicationId })}>${msg('Change', { id: 'requests.change' })}</button>
      </div>
    </div>`;
  }

  private async sendRenewal(medicationId: string, key: string): Promise<void> {
    await this.send(
      () => postCareAction('renewals', { patientId: this.patientId, medicationRequestId: medicationId, quantityNote: this.renewalNote.quantityNote.trim(), pharmacy: this.renewalNote.pharmacy.trim() }, key, this.fmt.locale),
      () => {
        this.renewalNote = { quantityNote: '', pharmacy: '' };
        this.mode = { kind: 'sent', what: 'renewal' };
      },
      (error) => (error.code === 'action-in-progress' || error.code === 'offline' || error.code.startsWith('upstream') ? undefined : { kind: 'renewal-form', medicationId }),
    );
  }

  /**
   * Sends; on success refreshes the list. On failure shows the sentence and — for errors about the input — goes
   * back to the form (values kept, a new key on the next review); for transient ones stays on the confirmation, so
   * "Send" again re-uses the same key.
   */
  private async send(run: () => Promise<unknown>, done: () => void, backTo: (error: CareError) => Mode | undefined): Promise<void> {
    this.sending = true;
    this.error = undefined;
    try {
      await run();
      done();
      void this.data.run();
    } catch (error) {
      const careError = error instanceof CareError ? error : new CareError(0, 'unexpected');
      const back = backTo(careError);
      if (back !== undefined) this.mode = back;
      this.error = careErrorText(careError.code, { days: this.data.value?.options?.horizonDays ?? 90 });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.error')?.focus();
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-care-requests': SproutCareRequests;
  }
}
