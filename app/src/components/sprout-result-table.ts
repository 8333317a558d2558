/**
 * <sprout-result-table>: lab results — test, value with unit, normal range, flag. Wide enough, a native table; at
 * phone width (the element's own width under 34rem, a container query) the same results as a list of cards, one
 * per test, so no word or number is broken across lines. Exactly one of the two is displayed (the other is
 * display:none, so assistive technology meets the results once). Print always uses the table.
 *
 * Names are plain (a reviewed consumer name, the EHR's own text, or the shortest display — fhir-mappings
 * plain-lab-names.ts) with the formal name on demand; units are plain ("thousand per µL").
 * A flag is always written out in words with a direction symbol ("▲ High", "‼▼ Critically low"), and the row is
 * bold; colour only reinforces it (WCAG 1.4.1). Observations with components (a panel row such as blood pressure)
 * list their components as indented rows (or inside the card).
 *
 * Properties: `results` (ObservationResult view models, shown in the given order), `caption` (the table's
 * accessible name), `trendCodes` (LOINC codes that have a trend chart: those rows offer "See trend").
 * Events: `sprout-show-trend` (detail { loinc }) when the family asks for a test's trend.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { CodingView, InterpretationFlag, ObservationResult, ResultComponent } from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { withPhoneLinks } from './phone-links.ts';
import { flagSeverity, flagSymbol, flagText, formatReferenceRange, formatResultValue, loincCodes, testNames } from './record-labels.ts';
import { resultTableStyles } from './sprout-result-table.styles.ts';
import { formalNameStyles, renderFormalName } from './test-name.ts';

export const SHOW_TREND_EVENT = 'sprout-show-trend';
export type ShowTrendEvent = CustomEvent<{ readonly loinc: string }>;

interface RowWords {
  readonly names: { readonly plain: string; readonly formal?: string };
  readonly value: string;
  readonly range: string;
  readonly flag?: InterpretationFlag;
  readonly ehrFlagText?: string;
}

/** The result's codings, plus its LOINC code when the codings do not carry it (for the plain-name table). */
function codesOf(result: ObservationResult): readonly CodingView[] {
  if (result.loinc === undefined || result.codes.some((coding) => coding.code === result.loinc)) return result.codes;
  return [...result.codes, ...loincCodes(result.loinc)];
}

@localized()
@customElement('sprout-result-table')
export class SproutResultTable extends LitElement {
  static override styles = [sharedStyles, resultTableStyles, formalNameStyles];

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
      <div class="wide scroller" role="region" aria-label=${caption} tabindex="0">
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
            ${this.results.map((result) => this.renderRow(result, format))}
          </tbody>
        </table>
      </div>
      <ul class="cards" aria-label=${caption} data-testid="result-cards">
        ${this.results.map((result) => this.renderCard(result, format))}
      </ul>
    `;
  }

  private wordsOf(result: ObservationResult | ResultComponent, format: Formatters, codes: readonly CodingView[] = loincCodes(result.loinc)): RowWords {
    return {
      names: testNames(result.label, codes, format),
      value: formatResultValue(result.value, format),
      range: formatReferenceRange(result.referenceRanges, format),
      ...(result.interpretation !== undefined && { flag: result.interpretation }),
      ...('interpretationText' in result && result.interpretationText !== undefined && { ehrFlagText: result.interpretationText }),
    };
  }

  private renderRow(result: ObservationResult, format: Formatters): TemplateResult {
    const words = this.wordsOf(result, format, codesOf(result));
    return html`
      <tr class=${flagSeverity(result.interpretation)} data-testid="result-row">
        <th scope="row">
          ${words.names.plain} ${result.notes.map((note) => html`<span class="note">${withPhoneLinks(note)}</span>`)} ${this.trendButton(result, words.names.plain)}
          ${renderFormalName(words.names)}
        </th>
        <td class="value">${words.value !== '' ? words.value : result.components.length > 0 ? nothing : this.noValue()}</td>
        <td>${words.range}</td>
        <td>${this.renderFlag(words.flag, words.ehrFlagText)}</td>
      </tr>
      ${result.components.map((component) => this.renderComponentRow(component, format))}
    `;
  }

  private renderComponentRow(component: ResultComponent, format: Formatters): TemplateResult {
    const words = this.wordsOf(component, format);
    return html`
      <tr class="component ${flagSeverity(component.interpretation)}" data-testid="result-row">
        <th scope="row">${words.names.plain}</th>
        <td class="value">${words.value !== '' ? words.value : this.noValue()}</td>
        <td>${words.range}</td>
        <td>${this.renderFlag(words.flag, undefined)}</td>
      </tr>
    `;
  }

  private renderCard(result: ObservationResult, format: Formatters): TemplateResult {
    const words = this.wordsOf(result, format, codesOf(result));
    return html`<li class="result-card ${flagSeverity(result.interpretation)}" data-testid="result-card">
      <p class="card-name">${words.names.plain}</p>
      ${words.value !== '' || result.components.length === 0 ? this.cardValue(words) : nothing}
      ${result.components.length > 0
        ? html`<ul class="card-components">
            ${result.components.map((component) => {
              const parts = this.wordsOf(component, format);
              return html`<li><span class="card-name">${parts.names.plain}</span>${this.cardValue(parts)}</li>`;
            })}
          </ul>`
        : nothing}
      ${result.notes.map((note) => html`<p class="note">${withPhoneLinks(note)}</p>`)} ${this.trendButton(result, words.names.plain)} ${renderFormalName(words.names)}
    </li>`;
  }

  private cardValue(words: RowWords): TemplateResult {
    return html`<p class="card-value">
        <span class="value">${words.value !== '' ? words.value : this.noValue()}</span>
        ${this.renderFlag(words.flag, words.ehrFlagText)}
      </p>
      ${words.range !== ''
        ? html`<p class="card-range">${msg(str`Normal range: ${words.range}`, { id: 'record.card-range', desc: 'On a result card; the range is formatted' })}</p>`
        : nothing}`;
  }

  private trendButton(result: ObservationResult, name: string): TemplateResult | typeof nothing {
    if (result.loinc === undefined || !this.trendCodes.includes(result.loinc)) return nothing;
    const loinc = result.loinc;
    return html`<button
      type="button"
      class="trend no-print"
      aria-label=${msg(str`See trend: ${name}`, { id: 'record.see-trend-of', desc: 'Accessible name of the See trend button; the test name follows' })}
      @click=${() => this.showTrend(loinc)}
    >
      ${msg('See trend', { id: 'record.see-trend' })}
    </button>`;
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
