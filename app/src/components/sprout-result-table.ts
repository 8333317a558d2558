/**
 * <sprout-result-table>: lab results as a native table — test, value with unit, reference range, flag.
 * A flag is always written out in words with a direction symbol ("▲ High", "‼▼ Critically low"), and the row is
 * bold; colour only reinforces it (WCAG 1.4.1). Observations with components (a panel row such as blood pressure)
 * list their components as indented rows.
 *
 * Properties: `results` (ObservationResult view models, shown in the given order), `caption` (the table's
 * accessible name, shown), `trendCodes` (LOINC codes that have a trend chart: those rows offer "See trend").
 * Events: `sprout-show-trend` (detail { loinc }) when the family asks for a test's trend.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { InterpretationFlag, ObservationResult, ResultComponent } from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { flagSeverity, flagSymbol, flagText, formatReferenceRange, formatResultValue, labelText } from './record-labels.ts';
import { resultTableStyles } from './sprout-result-table.styles.ts';

export const SHOW_TREND_EVENT = 'sprout-show-trend';
export type ShowTrendEvent = CustomEvent<{ readonly loinc: string }>;

@localized()
@customElement('sprout-result-table')
export class SproutResultTable extends LitElement {
  static override styles = [sharedStyles, resultTableStyles];

  @property({ attribute: false }) results: readonly ObservationResult[] = [];
  @property() caption = '';
  @property({ attribute: false }) trendCodes: readonly string[] = [];

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const caption = this.caption || msg('Test results', { id: 'record.results-table-caption' });
    return html`
      <div class="scroller" role="region" aria-label=${caption} tabindex="0">
        <table>
          <caption>${caption}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('Test', { id: 'record.col-test' })}</th>
              <th scope="col">${msg('Result', { id: 'record.col-result' })}</th>
              <th scope="col">${msg('Normal range', { id: 'record.col-range', desc: 'Reference range of a lab test' })}</th>
              <th scope="col">${msg('Flag', { id: 'record.col-flag', desc: 'Whether a lab value is high, low or critical' })}</th>
            </tr>
          </thead>
          <tbody>
            ${this.results.map((result) => this.renderResult(result, format))}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderResult(result: ObservationResult, format: Formatters): TemplateResult {
    const hasTrend = result.loinc !== undefined && this.trendCodes.includes(result.loinc);
    const value = formatResultValue(result.value, format);
    return html`
      <tr class=${flagSeverity(result.interpretation)} data-testid="result-row">
        <th scope="row">
          ${labelText(result.label)}
          ${result.notes.map((note) => html`<span class="note">${note}</span>`)}
          ${hasTrend
            ? html`<button type="button" class="trend no-print" @click=${() => this.showTrend(result.loinc ?? '')}>
                ${msg('See trend', { id: 'record.see-trend' })}<span class="visually-hidden">: ${labelText(result.label)}</span>
              </button>`
            : nothing}
        </th>
        <td class="value">${value !== '' ? value : result.components.length > 0 ? nothing : this.noValue()}</td>
        <td>${formatReferenceRange(result.referenceRanges, format)}</td>
        <td>${this.renderFlag(result.interpretation, result.interpretationText)}</td>
      </tr>
      ${result.components.map((component) => this.renderComponent(component, format))}
    `;
  }

  private renderComponent(component: ResultComponent, format: Formatters): TemplateResult {
    const value = formatResultValue(component.value, format);
    return html`
      <tr class="component ${flagSeverity(component.interpretation)}" data-testid="result-row">
        <th scope="row">${labelText(component.label)}</th>
        <td class="value">${value !== '' ? value : this.noValue()}</td>
        <td>${formatReferenceRange(component.referenceRanges, format)}</td>
        <td>${this.renderFlag(component.interpretation, undefined)}</td>
      </tr>
    `;
  }

  private noValue(): TemplateResult {
    return html`<span class="muted">${msg('No value', { id: 'record.no-value' })}</span>`;
  }

  /** Normal results get no flag (the column stays quiet); everything else gets a symbol and words. */
  private renderFlag(flag: InterpretationFlag | undefined, ehrText: string | undefined): TemplateResult | typeof nothing {
    const severity = flagSeverity(flag);
    if (severity === 'normal') return nothing;
    const words = flagText(flag);
    return html`<span class="flag ${severity}" data-flag=${flag ?? ''} title=${ifDefined(ehrText)}>
      <span aria-hidden="true">${flagSymbol(flag)}</span><span>${words}</span>
    </span>`;
  }

  private showTrend(loinc: string): void {
    this.dispatchEvent(new CustomEvent(SHOW_TREND_EVENT, { detail: { loinc }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-result-table': SproutResultTable;
  }
  interface HTMLElementEventMap {
    [SHOW_TREND_EVENT]: ShowTrendEvent;
  }
}
