/**
 * <sprout-record-print>: print-ready documents — a health summary (health issues, allergies, medications, as the
 * access decision allows) and an immunization record fit to hand to a school, laid out like California's School
 * Immunization Record (CDPH 286): child's name and date of birth, one row per vaccine in the card's order with the
 * date of each dose given (dates only; doses not given are never printed — fhir-mappings school-immunizations.ts),
 * the clinic's name and phone from the hospital profile, a signature line and the date printed. Each has a Print
 * button (window.print()); print CSS drops the app chrome and, while `printing` is set, the other document.
 *
 * A third document is the child's emergency card (emergency-card.ts).
 *
 * The session view carries the hospital's name and Health Information Management phone, not a street address, so
 * the clinic block shows name and phone only.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  schoolImmunizationRows,
  type AllergyList,
  type EmergencyContact,
  type HealthIssue,
  type ImmunizationRecord,
  type MedicationItem,
  type PatientBanner,
  type SchoolFormRow,
  type SchoolVaccineRow,
} from '../../../fhir-mappings/src/index.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { phoneLink } from '../components/phone-links.ts';
import { formatDateValue, labelText } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { allergyCriticalityText, conditionStatusText, describeDose, medicationStatusText, noKnownAllergyText } from './record-status-labels.ts';
import { offlineCardHtml, renderEmergencyCard } from './emergency-card.ts';
import { onsetText } from './onset-text.ts';
import { recordPrintStyles } from './sprout-record-print.styles.ts';

export type PrintDocument = 'summary' | 'immunizations' | 'emergency';

@localized()
@customElement('sprout-record-print')
export class SproutRecordPrint extends LitElement {
  static override styles = [sharedStyles, ...recordPrintStyles];

  @property({ attribute: false }) banner?: PatientBanner;
  @property({ attribute: false }) issues?: readonly HealthIssue[];
  @property({ attribute: false }) allergies?: AllergyList;
  @property({ attribute: false }) medications?: readonly MedicationItem[];
  @property({ attribute: false }) immunizations?: ImmunizationRecord;
  /** Patient.contact, for the emergency card. */
  @property({ attribute: false }) contacts: readonly EmergencyContact[] = [];
  @property({ attribute: 'hospital-name' }) hospitalName = '';
  /** The hospital's phone (SessionView.profile.himPhone), printed as the clinic's number on the school record. */
  @property({ attribute: 'clinic-phone' }) clinicPhone = '';
  @property({ reflect: true }) printing?: PrintDocument;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  private print(document: PrintDocument): void {
    this.printing = document;
    // Print after the attribute is on the element, so the print CSS picks the right document.
    void this.updateComplete.then(() => {
      window.print();
      this.printing = undefined;
    });
  }

  /** Downloads the emergency card as one self-contained HTML page (readable with no network). */
  private saveEmergencyCard(): void {
    const card = this.renderRoot.querySelector('[data-testid="emergency-card"]');
    if (!card) return;
    const name = labelText(this.banner?.name);
    const title = msg(str`Emergency card: ${name}`, { id: 'record.emergency-file-title' });
    const file = new Blob([offlineCardHtml(card, title, this.format?.locale ?? 'en')], { type: 'text/html' });
    const url = URL.createObjectURL(file);
    const anchor = window.document.createElement('a');
    anchor.href = url;
    anchor.download = `${title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim()}.html`;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const hasSummary = this.issues !== undefined || this.allergies !== undefined || this.medications !== undefined;
    return html`
      <div class="actions">
        ${hasSummary
          ? html`<button type="button" class="button" @click=${() => this.print('summary')}>${msg('Print health summary', { id: 'record.print-summary' })}</button>`
          : nothing}
        ${this.immunizations
          ? html`<button type="button" class="button" @click=${() => this.print('immunizations')}>
              ${msg('Print immunization record', { id: 'record.print-immunizations' })}
            </button>`
          : nothing}
        <button type="button" class="button" @click=${() => this.print('emergency')}>${msg('Print emergency card', { id: 'record.print-emergency' })}</button>
        <button type="button" class="button secondary" @click=${() => this.saveEmergencyCard()}>
          ${msg('Save emergency card for offline use', { id: 'record.emergency-save' })}
        </button>
      </div>
      ${hasSummary ? this.renderSummary(format) : nothing} ${this.immunizations ? this.renderImmunizations(this.immunizations, format) : nothing}
      ${renderEmergencyCard(
        {
          ...(this.issues !== undefined && { issues: this.issues }),
          ...(this.allergies !== undefined && { allergies: this.allergies }),
          ...(this.medications !== undefined && { medications: this.medications }),
          contacts: this.contacts,
        },
        format,
        this.identity(format),
        html`${this.clinicBlock()}${this.printedLine(format)}`,
      )}
    `;
  }

  private identity(format: Formatters): TemplateResult {
    const banner = this.banner;
    const born = formatDateValue(banner?.birthDate, format);
    return html`<p class="identity">
      <strong>${labelText(banner?.name)}</strong>
      ${born ? html`<br />${msg(str`Date of birth: ${born}`, { id: 'record.print-dob' })}` : nothing}
      ${banner?.mrn ? html`<br />${msg(str`Medical record number: ${banner.mrn.value}`, { id: 'record.print-mrn' })}` : nothing}
    </p>`;
  }

  private printedLine(format: Formatters): TemplateResult {
    const today = format.calendarDate(format.today());
    return html`<p class="printed">
      ${msg(str`Printed on ${today}`, { id: 'record.printed-on' })}${this.hospitalName ? html` · ${this.hospitalName}` : nothing}
    </p>`;
  }

  private renderSummary(format: Formatters): TemplateResult {
    const noneRecorded = msg('None recorded.', { id: 'record.print-none' });
    return html`<article class="doc doc-summary" aria-labelledby="print-summary-h">
      <h2 id="print-summary-h">${msg('Health summary', { id: 'record.print-summary-title' })}</h2>
      ${this.identity(format)}
      ${this.issues
        ? html`<h3>${msg('Health issues', { id: 'record.health-issues' })}</h3>
            ${this.issues.length === 0
              ? html`<p>${noneRecorded}</p>`
              : html`<ul>
                  ${this.issues.map((issue) => {
                    const details = [conditionStatusText(issue.clinicalStatus), onsetText(issue.onset, format)].filter((s) => s !== '').join(', ');
                    return html`<li>${labelText(issue.label)}${details ? ` (${details})` : ''}</li>`;
                  })}
                </ul>`}`
        : nothing}
      ${this.allergies
        ? html`<h3>${msg('Allergies', { id: 'record.allergies' })}</h3>
            ${this.allergies.noKnownAllergies.map((statement) => html`<p>${noKnownAllergyText(statement.kind)}</p>`)}
            ${this.allergies.allergies.length === 0 && this.allergies.noKnownAllergies.length === 0 ? html`<p>${noneRecorded}</p>` : nothing}
            ${this.allergies.allergies.length > 0
              ? html`<ul>
                  ${this.allergies.allergies.map((allergy) => {
                    const reactions = allergy.reactions.flatMap((r) => r.manifestations.map((m) => labelText(m)));
                    const details = [...new Set(reactions), allergyCriticalityText(allergy.criticality)].filter((s) => s !== '').join(', ');
                    return html`<li>${labelText(allergy.substance)}${details ? ` (${details})` : ''}</li>`;
                  })}
                </ul>`
              : nothing}`
        : nothing}
      ${this.medications
        ? html`<h3>${msg('Medications', { id: 'record.medications' })}</h3>
            ${this.medications.length === 0
              ? html`<p>${noneRecorded}</p>`
              : html`<ul>
                  ${this.medications.map((medication) => {
                    const details = [
                      ...medication.dosage.map((dose) => describeDose(dose, format)),
                      medicationStatusText(medication.status),
                    ].filter((s) => s !== '');
                    return html`<li>${labelText(medication.name)}${details.length > 0 ? ` — ${details.join('; ')}` : ''}</li>`;
                  })}
                </ul>`}`
        : nothing}
      ${this.printedLine(format)}
    </article>`;
  }

  private renderImmunizations(record: ImmunizationRecord, format: Formatters): TemplateResult {
    const title = msg('Immunization record for school', { id: 'record.print-immunizations-school-title' });
    const rows = schoolImmunizationRows(record, format.timeZone);
    const columns = Math.max(1, ...rows.map((row) => row.doses.length));
    return html`<article class="doc doc-immunizations" aria-labelledby="print-imm-h" data-testid="immunization-record">
      <h2 id="print-imm-h">${title}</h2>
      <p class="form-note">
        ${msg('Laid out like the California School Immunization Record (CDPH 286).', { id: 'record.print-cdph-note' })}
      </p>
      ${this.identity(format)}
      ${rows.length === 0
        ? html`<p>${msg('No immunizations recorded.', { id: 'record.immunizations-empty' })}</p>`
        : html`<div class="scroller" role="region" aria-label=${title} tabindex="0">
            <table data-testid="school-immunizations">
              <caption class="visually-hidden">${title}</caption>
              <thead>
                <tr>
                  <th scope="col">${msg('Vaccine', { id: 'record.col-vaccine' })}</th>
                  ${Array.from({ length: columns }, (_, i) => html`<th scope="col">${msg(str`Dose ${format.number(i + 1)}`, { id: 'record.col-dose-n' })}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (row) => html`<tr data-row=${row.row ?? 'other'}>
                    <th scope="row">${this.schoolRowName(row)}</th>
                    ${Array.from({ length: columns }, (_, i) => {
                      const dose = row.doses[i];
                      if (dose === undefined) return html`<td></td>`;
                      return html`<td class="date">${dose.date ? format.calendarDate(dose.date, 'medium') : msg('Date not recorded', { id: 'record.undated' })}</td>`;
                    })}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${this.clinicBlock()}
      <div class="signature">
        <p><span class="line"></span>${msg('Signature of health care provider or clinic representative', { id: 'record.print-signature' })}</p>
        <p><span class="line short"></span>${msg('Date', { id: 'record.col-date' })}</p>
      </div>
      ${this.printedLine(format)}
    </article>`;
  }

  private clinicBlock(): TemplateResult | typeof nothing {
    if (!this.hospitalName && !this.clinicPhone) return nothing;
    return html`<p class="clinic" data-testid="clinic">
      <strong>${this.hospitalName}</strong>
      ${this.clinicPhone ? html`<br />${msg('Phone:', { id: 'record.print-phone' })} ${phoneLink(this.clinicPhone)}` : nothing}
    </p>`;
  }

  private schoolRowName(row: SchoolVaccineRow): string {
    return row.row === undefined ? labelText(row.vaccine) : schoolFormRowName(row.row);
  }
}

/** The row names of the CDPH 286 card, in the reader's language. */
export function schoolFormRowName(row: SchoolFormRow): string {
  switch (row) {
    case 'polio':
      return msg('Polio (IPV or OPV)', { id: 'record.school-polio' });
    case 'dtap':
      return msg('DTaP/DTP/DT/Td', { id: 'record.school-dtap' });
    case 'tdap':
      return msg('Tdap', { id: 'record.school-tdap' });
    case 'mmr':
      return msg('MMR (measles, mumps, rubella)', { id: 'record.school-mmr' });
    case 'hib':
      return msg('Hib (Haemophilus influenzae type b)', { id: 'record.school-hib' });
    case 'hepb':
      return msg('Hepatitis B', { id: 'record.school-hepb' });
    case 'varicella':
      return msg('Varicella (chickenpox)', { id: 'record.school-varicella' });
    default:
      return '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-print': SproutRecordPrint;
  }
}
