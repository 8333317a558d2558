/**
 * <sprout-record-results>: lab results — reports newest first (each with its result table, conclusion and files),
 * results no report claims grouped by date, and a trend chart for every test measured more than once.
 * "See trend" in a table moves focus to that test's chart.
 *
 * Properties: `results` (TestResults), `partial` (show the generic allow-list note).
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TestResults } from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-load-state.ts';
import '../components/sprout-report-card.ts';
import '../components/sprout-result-table.ts';
import '../components/sprout-trend-chart.ts';
import './sprout-result-context.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { LIST_PAGE_SIZE, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { SproutTrendChart } from '../components/sprout-trend-chart.ts';
import { SHOW_TREND_EVENT, type ShowTrendEvent } from '../components/sprout-result-table.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { recordResultsStyles } from './sprout-record-results.styles.ts';

@localized()
@customElement('sprout-record-results')
export class SproutRecordResults extends LitElement {
  static override styles = [sharedStyles, ...recordResultsStyles];

  @property({ attribute: false }) results?: TestResults;
  @property({ type: Boolean }) partial = false;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shownReports = LIST_PAGE_SIZE;
  @state() private shownGroups = LIST_PAGE_SIZE;

  constructor() {
    super();
    this.addEventListener(SHOW_TREND_EVENT, (event: ShowTrendEvent) => void this.showTrend(event.detail.loinc));
  }

  private async showTrend(loinc: string): Promise<void> {
    const chart = [...this.renderRoot.querySelectorAll<SproutTrendChart>('sprout-trend-chart')].find((c) => c.dataset['loinc'] === loinc);
    if (!chart) return;
    await chart.updateComplete;
    chart.scrollIntoView({ block: 'start' });
    chart.focusHeading();
  }

  override render(): TemplateResult {
    const results = this.results;
    const format = this.format ?? fallbackFormatters();
    if (!results || (results.reports.length === 0 && results.ungrouped.length === 0)) {
      return html`${renderPartialNote(this.partial)}
        <sprout-load-state state="empty" message=${msg('No test results yet.', { id: 'record.results-empty' })}></sprout-load-state>`;
    }
    const trendCodes = results.trends.map((series) => series.loinc);
    return html`
      ${renderPartialNote(this.partial)}
      <sprout-result-context .results=${results}></sprout-result-context>
      ${results.reports.length > 0
        ? html`<section aria-labelledby="reports-h">
            <h2 id="reports-h">${msg('Lab reports', { id: 'record.lab-reports' })}</h2>
            <div class="reports">
              ${results.reports
                .slice(0, this.shownReports)
                .map((report) => html`<sprout-report-card .report=${report} .trendCodes=${trendCodes}></sprout-report-card>`)}
            </div>
            ${renderShowMore({
              hiddenLoaded: results.reports.length - this.shownReports,
              moreOnServer: false,
              listName: msg('Lab reports', { id: 'record.lab-reports' }),
              onShowMore: () => (this.shownReports += LIST_PAGE_SIZE),
            })}
          </section>`
        : nothing}
      ${results.ungrouped.length > 0
        ? html`<section aria-labelledby="other-results-h">
            <h2 id="other-results-h">${msg('Other results', { id: 'record.other-results' })}</h2>
            <div class="reports">
              ${results.ungrouped.slice(0, this.shownGroups).map((group) => {
                const date = group.date ? format.calendarDate(group.date, 'medium') : msg('Date not recorded', { id: 'record.undated' });
                return html`<article class="card">
                  <h3>${date}</h3>
                  <sprout-result-table .results=${group.results} .trendCodes=${trendCodes} caption=${date}></sprout-result-table>
                </article>`;
              })}
            </div>
            ${renderShowMore({
              hiddenLoaded: results.ungrouped.length - this.shownGroups,
              moreOnServer: false,
              listName: msg('Other results', { id: 'record.other-results' }),
              onShowMore: () => (this.shownGroups += LIST_PAGE_SIZE),
            })}
          </section>`
        : nothing}
      ${results.trends.length > 0
        ? html`<section aria-labelledby="trends-h">
            <h2 id="trends-h">${msg('Trends', { id: 'record.trends' })}</h2>
            <div class="charts">
              ${results.trends.map((series) => html`<sprout-trend-chart data-loinc=${series.loinc} .series=${series}></sprout-trend-chart>`)}
            </div>
          </section>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-results': SproutRecordResults;
  }
}
