/**
 * <sprout-record-appointments>: upcoming appointments (soonest first) and past ones (most recent first), with times
 * in the hospital's time zone (named once, in the reader's language), place, clinician, status, and a "Join virtual
 * visit" link when the appointment has one (only http(s), checked by the mapper; shown for upcoming visits only).
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { dateValue, plainAppointmentWords, type AppointmentItem, type AppointmentLists } from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-load-state.ts';
import '../requests/sprout-care-requests.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { withPhoneLinks } from '../components/phone-links.ts';
import { formatPeriodValue, labelText } from '../components/record-labels.ts';
import { LIST_PAGE_SIZE, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { appointmentStatusText } from './record-status-labels.ts';
import { recordAppointmentsStyles } from './sprout-record-appointments.styles.ts';

/** The zone's name in the reader's language ("Pacific Time" / "hora del Pacífico"), or '' if Intl cannot name it. */
export function timeZoneName(format: Formatters, at: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat(format.locale, { timeZone: format.timeZone, timeZoneName: 'longGeneric' }).formatToParts(at);
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

@localized()
@customElement('sprout-record-appointments')
export class SproutRecordAppointments extends LitElement {
  static override styles = [sharedStyles, ...recordAppointmentsStyles];

  @property({ attribute: false }) appointments?: AppointmentLists;
  @property({ type: Boolean }) partial = false;
  /** The patient, for the Requests list and the request actions (<sprout-care-requests>). */
  @property({ attribute: 'patient-id' }) patientId = '';

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shownPast = LIST_PAGE_SIZE;

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const upcoming = this.appointments?.upcoming ?? [];
    const past = this.appointments?.past ?? [];
    const zone = timeZoneName(format);
    const pastTitle = msg('Past appointments', { id: 'record.appointments-past' });
    return html`
      ${this.patientId === '' ? nothing : html`<sprout-care-requests patient-id=${this.patientId}></sprout-care-requests>`}
      ${renderPartialNote(this.partial)}
      ${zone ? html`<p class="meta">${msg('Times are shown in the hospital’s time zone:', { id: 'record.time-zone-note' })} ${zone}</p>` : nothing}
      <section aria-labelledby="upcoming-h">
        <h2 id="upcoming-h">${msg('Upcoming appointments', { id: 'record.appointments-upcoming' })}</h2>
        ${upcoming.length === 0
          ? html`<sprout-load-state state="empty" message=${msg('No upcoming appointments.', { id: 'record.appointments-upcoming-empty' })}></sprout-load-state>`
          : html`<ul class="items">${upcoming.map((item) => this.renderAppointment(item, format, true))}</ul>`}
      </section>
      <section aria-labelledby="past-h">
        <h2 id="past-h">${pastTitle}</h2>
        ${past.length === 0
          ? html`<sprout-load-state state="empty" message=${msg('No past appointments.', { id: 'record.appointments-past-empty' })}></sprout-load-state>`
          : html`<ul class="items">${past.slice(0, this.shownPast).map((item) => this.renderAppointment(item, format, false))}</ul>`}
        ${renderShowMore({ hiddenLoaded: past.length - this.shownPast, moreOnServer: false, listName: pastTitle, onShowMore: () => (this.shownPast += LIST_PAGE_SIZE) })}
      </section>
    `;
  }

  private renderAppointment(item: AppointmentItem, format: Formatters, upcoming: boolean): TemplateResult {
    const status = appointmentStatusText(item.status);
    const start = dateValue(item.start);
    const end = dateValue(item.end);
    const period = formatPeriodValue({ ...(start !== undefined && { start }), ...(end !== undefined && { end }) }, format);
    const when = period !== '' ? period : msg('Time to be confirmed', { id: 'record.appt-no-time' });
    const words = plainAppointmentWords(item, format.locale);
    const what = words.name ?? labelText(item.label);
    return html`<li data-testid="appointment">
      <h3>${when}</h3>
      <p class="meta">
        <span>${what}</span>${words.service ? html`<span>${words.service}</span>` : nothing}${status ? html`<span>${status}</span>` : nothing}
      </p>
      <dl class="facts">
        ${item.locations.length > 0 ? html`<dt>${msg('Where', { id: 'record.where' })}</dt><dd>${item.locations.join(', ')}</dd>` : nothing}
        ${item.practitioners.length > 0 ? html`<dt>${msg('With', { id: 'record.with' })}</dt><dd>${item.practitioners.join(', ')}</dd>` : nothing}
        ${item.patientInstruction ? html`<dt>${msg('Instructions', { id: 'record.instructions' })}</dt><dd>${withPhoneLinks(item.patientInstruction)}</dd>` : nothing}
      </dl>
      ${upcoming && item.virtualVisitUrl && item.status !== 'cancelled'
        ? html`<p>
            <a class="button" href=${item.virtualVisitUrl} target="_blank" rel="noopener noreferrer"
              >${msg('Join virtual visit', { id: 'record.join-virtual' })}<span class="visually-hidden">: ${when}</span></a
            >
          </p>`
        : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-appointments': SproutRecordAppointments;
  }
}
