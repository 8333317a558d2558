/**
 * <sprout-record-summary>: the child's health at a glance — health issues, allergies, medications, immunizations
 * and (with full access) growth. Each list is optional: `undefined` means the access decision does not include it,
 * so its heading is not shown at all; an empty array means "none recorded".
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type {
  AllergyItem,
  AllergyList,
  AdministrativeGender,
  GrowthData,
  HealthIssue,
  ImmunizationDose,
  ImmunizationRecord,
  MedicationItem,
} from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-load-state.ts';
import '../components/sprout-trend-chart.ts';
import { healthLibraryUrl } from '../../../fhir-mappings/src/index.ts';
import type { CodingView } from '../../../fhir-mappings/src/index.ts';
import { formatDateOnly, formatDateValue, labelText } from '../components/record-labels.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { LIST_PAGE_SIZE, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import {
  allergyCriticalityText,
  allergySeverityText,
  conditionStatusText,
  describeDose,
  medicationStatusText,
  noKnownAllergyText,
} from './record-status-labels.ts';
import { recordSummaryStyles } from './sprout-record-summary.styles.ts';
import { growthTrends } from './growth-trends.ts';
import { onsetText } from './onset-text.ts';

export { growthTrends };

type ListName = 'issues' | 'allergies' | 'medications' | 'immunizations';

@localized()
@customElement('sprout-record-summary')
export class SproutRecordSummary extends LitElement {
  static override styles = [sharedStyles, ...recordSummaryStyles];

  @property({ attribute: false }) issues?: readonly HealthIssue[];
  @property({ attribute: false }) allergies?: AllergyList;
  @property({ attribute: false }) medications?: readonly MedicationItem[];
  @property({ attribute: false }) immunizations?: ImmunizationRecord;
  @property({ attribute: false }) growth?: GrowthData;
  /** The child's sex and birth date (from the banner), for growth percentiles on the CDC charts. */
  @property({ attribute: false }) sex?: AdministrativeGender;
  @property({ attribute: 'birth-date' }) birthDate?: string;
  @property({ type: Boolean }) partial = false;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shown: Record<ListName, number> = { issues: LIST_PAGE_SIZE, allergies: LIST_PAGE_SIZE, medications: LIST_PAGE_SIZE, immunizations: LIST_PAGE_SIZE };

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    return html`
      ${renderPartialNote(this.partial)}
      ${this.issues ? this.renderIssues(this.issues, format) : nothing}
      ${this.allergies ? this.renderAllergies(this.allergies, format) : nothing}
      ${this.medications ? this.renderMedications(this.medications, format) : nothing}
      ${this.immunizations ? this.renderImmunizations(this.immunizations.doses, format) : nothing}
      ${this.growth ? this.renderGrowth(this.growth) : nothing}
    `;
  }

  private more(list: ListName, total: number, listName: string): TemplateResult | typeof nothing {
    return renderShowMore({
      hiddenLoaded: total - this.shown[list],
      moreOnServer: false,
      listName,
      onShowMore: () => {
        this.shown = { ...this.shown, [list]: this.shown[list] + LIST_PAGE_SIZE };
      },
    });
  }

  private renderIssues(issues: readonly HealthIssue[], format: Formatters): TemplateResult {
    const title = msg('Health issues', { id: 'record.health-issues' });
    return html`<section aria-labelledby="issues-h">
      <h2 id="issues-h">${title}</h2>
      ${issues.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No health issues recorded.', { id: 'record.issues-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${issues.slice(0, this.shown.issues).map((issue) => {
              const onset = onsetText(issue.onset, format);
              const status = conditionStatusText(issue.clinicalStatus);
              return html`<li>
                <div class="item-head">
                  <h3>${labelText(issue.label)}</h3>
                  ${status ? html`<span class="badge ${issue.isActive ? 'warning' : 'quiet'}">${status}</span>` : nothing}
                </div>
                ${onset ? html`<p class="meta">${msg('Since', { id: 'record.onset', desc: 'Before the date a health issue started' })} ${onset}</p>` : nothing}
                ${this.renderLearnMore(issue.codes, labelText(issue.label), format)}
              </li>`;
            })}
          </ul>`}
      ${this.more('issues', issues.length, title)}
    </section>`;
  }

  /**
   * The connected health library (MedlinePlus Connect): plain-language pages about a condition or medication, in the
   * reader's language. Opens in a new tab without a referrer; nothing is sent until the family clicks.
   */
  private renderLearnMore(codes: readonly CodingView[], name: string, format: Formatters): TemplateResult | typeof nothing {
    const url = healthLibraryUrl(codes, format.locale);
    if (url === undefined) return nothing;
    return html`<p class="learn-more no-print">
      <a href=${url} target="_blank" rel="noopener noreferrer" referrerpolicy="no-referrer"
        >${msg(str`Learn more about ${name}`, { id: 'record.learn-more' })}<span class="visually-hidden">
          ${msg('(MedlinePlus, opens in a new tab)', { id: 'record.learn-more-where' })}</span
        ></a
      >
    </p>`;
  }

  private renderAllergies(list: AllergyList, format: Formatters): TemplateResult {
    const title = msg('Allergies', { id: 'record.allergies' });
    const empty = list.allergies.length === 0 && list.noKnownAllergies.length === 0;
    return html`<section aria-labelledby="allergies-h">
      <h2 id="allergies-h">${title}</h2>
      ${list.noKnownAllergies.map((statement) => html`<p><strong>${noKnownAllergyText(statement.kind)}</strong>
        ${statement.recordedDate
          ? html`<span class="meta"
              >(${msg(str`recorded on ${formatDateValue(statement.recordedDate, format)}`, {
                id: 'record.nka-recorded-on',
                desc: 'After "No known allergies"; the date the statement was recorded',
              })})</span
            >`
          : nothing}</p>`)}
      ${empty
        ? html`<sprout-load-state state="empty" message=${msg('No allergies recorded.', { id: 'record.allergies-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${list.allergies.slice(0, this.shown.allergies).map((allergy) => this.renderAllergy(allergy, format))}
          </ul>`}
      ${this.more('allergies', list.allergies.length, title)}
    </section>`;
  }

  private renderAllergy(allergy: AllergyItem, format: Formatters): TemplateResult {
    const reactions = [...new Set(allergy.reactions.flatMap((reaction) => reaction.manifestations.map((m) => labelText(m))))];
    const criticality = allergyCriticalityText(allergy.criticality);
    const severity = allergySeverityText(allergy.severity);
    return html`<li>
      <div class="item-head">
        <h3>${labelText(allergy.substance)}</h3>
        ${allergy.criticality === 'high' ? html`<span class="badge danger"><span aria-hidden="true">! </span>${criticality}</span>` : nothing}
      </div>
      <dl class="facts">
        ${reactions.length > 0 ? html`<dt>${msg('Reaction', { id: 'record.reaction' })}</dt><dd>${reactions.join(', ')}</dd>` : nothing}
        ${severity ? html`<dt>${msg('Severity', { id: 'record.severity' })}</dt><dd>${severity}</dd>` : nothing}
        ${criticality && allergy.criticality !== 'high' ? html`<dt>${msg('Risk', { id: 'record.criticality' })}</dt><dd>${criticality}</dd>` : nothing}
        ${allergy.recordedDate ? html`<dt>${msg('Recorded', { id: 'record.recorded' })}</dt><dd>${formatDateValue(allergy.recordedDate, format)}</dd>` : nothing}
      </dl>
    </li>`;
  }

  private renderMedications(medications: readonly MedicationItem[], format: Formatters): TemplateResult {
    const title = msg('Medications', { id: 'record.medications' });
    return html`<section aria-labelledby="meds-h">
      <h2 id="meds-h">${title}</h2>
      ${medications.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No medications recorded.', { id: 'record.medications-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${medications.slice(0, this.shown.medications).map((medication) => {
              const status = medicationStatusText(medication.status);
              const doses = medication.dosage.map((dose) => describeDose(dose, format)).filter((line) => line !== '');
              return html`<li>
                <div class="item-head">
                  <h3>${labelText(medication.name)}</h3>
                  ${status ? html`<span class="badge ${medication.isActive ? 'warning' : 'quiet'}">${status}</span>` : nothing}
                </div>
                <dl class="facts">
                  ${doses.length > 0 ? html`<dt>${msg('How to take', { id: 'record.dose' })}</dt><dd>${doses.join('; ')}</dd>` : nothing}
                  ${medication.prescriber ? html`<dt>${msg('Prescribed by', { id: 'record.prescriber' })}</dt><dd>${medication.prescriber}</dd>` : nothing}
                  ${medication.authoredOn
                    ? html`<dt>${msg('Last prescribed', { id: 'record.authored' })}</dt><dd>${formatDateValue(medication.authoredOn, format)}</dd>`
                    : nothing}
                  ${medication.refills
                    ? html`<dt>${msg('Refills left', { id: 'record.refills-left' })}</dt><dd>${format.number(medication.refills.left)}</dd>`
                    : nothing}
                </dl>
                ${this.renderLearnMore(medication.codes, labelText(medication.name), format)}
              </li>`;
            })}
          </ul>`}
      ${this.more('medications', medications.length, title)}
    </section>`;
  }

  private renderImmunizations(doses: readonly ImmunizationDose[], format: Formatters): TemplateResult {
    const title = msg('Immunizations', { id: 'record.immunizations' });
    return html`<section aria-labelledby="imm-h">
      <h2 id="imm-h">${title}</h2>
      ${doses.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No immunizations recorded.', { id: 'record.immunizations-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${doses.slice(0, this.shown.immunizations).map(
              (dose) => html`<li>
                <div class="item-head">
                  <h3>${labelText(dose.vaccine)}</h3>
                  ${dose.status === 'not-done'
                    ? html`<span class="badge quiet">${msg('Not given', { id: 'record.imm-not-done' })}</span>`
                    : nothing}
                </div>
                <p class="meta">
                  ${dose.date ? html`<span>${formatDateOnly(dose.date, format)}</span>` : nothing}
                  ${dose.doseNumber ? html`<span>${msg('Dose', { id: 'record.dose-number' })} ${dose.doseNumber}</span>` : nothing}
                  ${dose.status === 'not-done' && dose.statusReason ? html`<span>${labelText(dose.statusReason)}</span>` : nothing}
                </p>
              </li>`,
            )}
          </ul>`}
      ${this.more('immunizations', doses.length, title)}
    </section>`;
  }

  private renderGrowth(growth: GrowthData): TemplateResult | typeof nothing {
    const trends = growthTrends(growth, this.sex, this.birthDate || undefined);
    if (trends.length === 0) return nothing;
    return html`<section aria-labelledby="growth-h">
      <h2 id="growth-h">${msg('Growth', { id: 'record.growth' })}</h2>
      <div class="charts">${trends.map((series) => html`<sprout-trend-chart .series=${series}></sprout-trend-chart>`)}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-summary': SproutRecordSummary;
  }
}
