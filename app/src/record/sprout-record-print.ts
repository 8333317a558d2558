/**
 * <sprout-record-print>: print-ready documents — a health summary (health issues, allergies, medications, as the
 * access decision allows) and an immunization record fit to hand to a school (child's name, date of birth, every
 * dose with vaccine and date, the date printed). Each has a Print button (window.print()); print CSS drops the
 * app chrome and, while `printing` is set, the other document.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AllergyList, HealthIssue, ImmunizationRecord, MedicationItem, PatientBanner } from '../../../fhir-mappings/src/index.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { formatDateValue, labelText } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { allergyCriticalityText, conditionStatusText, describeDose, medicationStatusText, noKnownAllergyText } from './record-status-labels.ts';
import { onsetText } from './onset-text.ts';
import { recordPrintStyles } from './sprout-record-print.styles.ts';

export type PrintDocument = 'summary' | 'immunizations';

@localized()
@customElement('sprout-record-print')
export class SproutRecordPrint extends LitElement {
  static override styles = [sharedStyles, ...recordPrintStyles];

  @property({ attribute: false }) banner?: PatientBanner;
  @property({ attribute: false }) issues?: readonly HealthIssue[];
  @property({ attribute: false }) allergies?: AllergyList;
  @property({ attribute: false }) medications?: readonly MedicationItem[];
  @property({ attribute: false }) immunizations?: ImmunizationRecord;
  @property({ attribute: 'hospital-name' }) hospitalName = '';
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
      </div>
      ${hasSummary ? this.renderSummary(format) : nothing} ${this.immunizations ? this.renderImmunizations(this.immunizations, format) : nothing}
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
    const title = msg('Immunization record', { id: 'record.print-immunizations-title' });
    return html`<article class="doc doc-immunizations" aria-labelledby="print-imm-h" data-testid="immunization-record">
      <h2 id="print-imm-h">${title}</h2>
      ${this.identity(format)}
      ${record.groups.length === 0
        ? html`<p>${msg('No immunizations recorded.', { id: 'record.immunizations-empty' })}</p>`
        : html`<div class="scroller">
            <table>
              <caption class="visually-hidden">${title}</caption>
              <thead>
                <tr>
                  <th scope="col">${msg('Vaccine', { id: 'record.col-vaccine' })}</th>
                  <th scope="col">${msg('Date given', { id: 'record.col-date-given' })}</th>
                  <th scope="col">${msg('Dose', { id: 'record.dose-number' })}</th>
                </tr>
              </thead>
              <tbody>
                ${record.groups.flatMap((group) =>
                  group.doses.map(
                    (dose) => html`<tr>
                      <th scope="row">${labelText(dose.vaccine)}</th>
                      <td>
                        ${dose.date ? formatDateValue(dose.date, format) : msg('Date not recorded', { id: 'record.undated' })}
                        ${dose.status === 'not-done' ? html` (${msg('Not given', { id: 'record.imm-not-done' })})` : nothing}
                      </td>
                      <td>${dose.doseNumber ?? ''}</td>
                    </tr>`,
                  ),
                )}
              </tbody>
            </table>
          </div>`}
      ${this.printedLine(format)}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-print': SproutRecordPrint;
  }
}
