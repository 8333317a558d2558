/**
 * Choose which child to look at. A native <select> plus a "Show" button: changing the selection alone never
 * moves the page (WCAG 3.2.2), the button does. Lists only people whose record can be opened.
 * Fires `sprout-patient-select` with the chosen id, or undefined for the family overview.
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { SessionPatientView } from '../api/session.ts';
import { familySwitcherStyles } from './sprout-family-switcher.styles.ts';

export interface PatientSelectDetail {
  readonly patientId: string | undefined;
}

const OVERVIEW = '';

@localized()
@customElement('sprout-family-switcher')
export class SproutFamilySwitcher extends LitElement {
  static override styles = familySwitcherStyles;

  @property({ attribute: false }) patients: readonly SessionPatientView[] = [];
  /** The patient whose record is open, if any. */
  @property({ attribute: false }) currentPatientId?: string;

  @query('select') private select?: HTMLSelectElement;

  override render() {
    const openable = this.patients.filter((patient) => patient.access.level !== 'none');
    const current = openable.some((patient) => patient.id === this.currentPatientId) ? this.currentPatientId : OVERVIEW;
    return html`
      <form @submit=${this.onSubmit}>
        <label for="child">${msg('Viewing', { id: 'shell.switcher-label', desc: 'Label of the list that picks which child to view' })}</label>
        <select id="child" name="child" .value=${current ?? OVERVIEW}>
          <option value=${OVERVIEW} ?selected=${current === OVERVIEW}>${msg('Family overview', { id: 'shell.switcher-overview' })}</option>
          ${openable.map((patient) => html`<option value=${patient.id} ?selected=${patient.id === current}>${patient.name}</option>`)}
        </select>
        <button class="button secondary" type="submit">${msg('Show', { id: 'shell.switcher-show' })}</button>
      </form>
    `;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const value = this.select?.value ?? OVERVIEW;
    const detail: PatientSelectDetail = { patientId: value === OVERVIEW ? undefined : value };
    this.dispatchEvent(new CustomEvent<PatientSelectDetail>('sprout-patient-select', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-family-switcher': SproutFamilySwitcher;
  }
  interface HTMLElementEventMap {
    'sprout-patient-select': CustomEvent<PatientSelectDetail>;
  }
}
