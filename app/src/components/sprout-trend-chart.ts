/**
 * <sprout-trend-chart>: one test measured over time, as an accessible SVG line chart (no chart library).
 * - The SVG is one image (role="img") named by its <title> and described by a <desc> that states the count, the
 *   period, the latest value and the normal range — what a sighted reader takes from the picture.
 * - The same numbers are always available as a table ("Show the values as a table", a native <details>).
 * - The normal range is a shaded band (named in the legend); flagged points are filled and larger, and their flag
 *   is written in the table, so nothing rests on colour.
 *
 * Properties: `series` (TrendSeries view model, oldest first). The heading level is h3 (charts sit under a section h2).
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, svg, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TrendPoint, TrendSeries } from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { flagSeverity, flagText, formatDateOnly, formatQuantityValue, loincCodes, percentileText, plainUnitText, testNames } from './record-labels.ts';
import { formalNameStyles, renderFormalName } from './test-name.ts';
import { layoutTrend, type TrendRangeInput } from './trend-chart-geometry.ts';
import { trendChartStyles } from './sprout-trend-chart.styles.ts';

let nextChartId = 0;

/** The normal range to draw: the most recent point that states one (ranges change as a child grows). */
export function latestRange(points: readonly TrendPoint[]): TrendRangeInput | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i];
    if (point && (point.low !== undefined || point.high !== undefined)) return { low: point.low, high: point.high };
  }
  return undefined;
}

@localized()
@customElement('sprout-trend-chart')
export class SproutTrendChart extends LitElement {
  static override styles = [sharedStyles, trendChartStyles, formalNameStyles];

  @property({ attribute: false }) series?: TrendSeries;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  private readonly idBase = `trend-${++nextChartId}`;

  /** The figure's width in CSS pixels: the chart is drawn at it, so its labels never shrink on a phone. */
  @state() private drawnWidth?: number;
  private resizeObserver?: ResizeObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width;
      if (width !== undefined && width > 0 && Math.abs(width - (this.drawnWidth ?? 0)) >= 1) this.drawnWidth = width;
    });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    this.resizeObserver?.disconnect();
    super.disconnectedCallback();
  }

  /** Moves keyboard focus to the chart's heading (after "See trend" in a result table). */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  override render(): TemplateResult | typeof nothing {
    const series = this.series;
    if (!series || series.points.length === 0) return nothing;
    const format = this.format ?? fallbackFormatters();
    const names = testNames(series.label, loincCodes(series.loinc), format);
    const title = names.plain;
    const unitText = plainUnitText(series.unit, format);
    const value = (n: number | undefined): string => (n === undefined ? '' : this.formatValue(n, series.unit, format));
    const range = latestRange(series.points);
    const geometry = layoutTrend(
      series.points.map((point) => ({ at: point.time.iso, value: point.value })),
      range,
      this.drawnWidth,
      (series.curves ?? []).map((curve) => curve.points),
    );
    const curves = series.curves ?? [];
    const hasPercentiles = series.points.some((point) => point.percentile !== undefined);
    const first = series.points[0];
    const last = series.points[series.points.length - 1];
    const firstDate = formatDateOnly(first?.time, format);
    const lastDate = formatDateOnly(last?.time, format);
    const count = format.number(series.points.length);
    const latestValue = value(last?.value);
    const latestPercentile = percentileText(last?.percentile, format);
    const latestFlag =
      flagSeverity(last?.interpretation) !== 'normal' ? ` (${flagText(last?.interpretation)})` : latestPercentile !== '' ? ` (${latestPercentile})` : '';
    const rangeText = this.rangeText(range, series.unit, format);
    const description = [
      msg(str`${count} results from ${firstDate} to ${lastDate}.`, { id: 'record.trend-desc-count' }),
      msg(str`Latest: ${latestValue}${latestFlag}.`, { id: 'record.trend-desc-latest' }),
      rangeText !== '' ? msg(str`Normal range: ${rangeText}.`, { id: 'record.trend-desc-range' }) : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
    const titleId = `${this.idBase}-title`;
    const descId = `${this.idBase}-desc`;
    const { plot } = geometry;

    return html`
      <figure>
        <h3 tabindex="-1">${msg(str`${title} over time`, { id: 'record.trend-heading' })}</h3>
        ${renderFormalName(names)}
        <p class="summary">${description}</p>
        <svg viewBox="0 0 ${geometry.width} ${geometry.height}" role="img" aria-labelledby="${titleId} ${descId}">
          <title id=${titleId}>${msg(str`${title} over time`, { id: 'record.trend-heading' })}</title>
          <desc id=${descId}>${description}</desc>
          ${geometry.band
            ? svg`<rect class="band" x=${plot.left} y=${geometry.band.y} width=${plot.right - plot.left} height=${geometry.band.height}></rect>`
            : nothing}
          ${geometry.yTicks.map(
            (tick) => svg`
              <line class="grid" x1=${plot.left} x2=${plot.right} y1=${tick.y} y2=${tick.y}></line>
              <text class="axis-label" x=${plot.left - 6} y=${tick.y + 4} text-anchor="end">${format.number(tick.value)}</text>`,
          )}
          <rect class="frame" x=${plot.left} y=${plot.top} width=${plot.right - plot.left} height=${plot.bottom - plot.top}></rect>
          <text class="axis-label" x=${plot.left} y=${geometry.height - 10} text-anchor="start">${firstDate}</text>
          ${series.points.length > 1
            ? svg`<text class="axis-label" x=${plot.right} y=${geometry.height - 10} text-anchor="end">${lastDate}</text>`
            : nothing}
          ${geometry.curves.map((curve, index) =>
            curve.path === ''
              ? nothing
              : svg`<path class="curve" d=${curve.path}></path>
                  ${curve.end ? svg`<text class="curve-label" x=${curve.end.x - 4} y=${curve.end.y - 4} text-anchor="end">P${curves[index]?.percentile ?? ''}</text>` : nothing}`,
          )}
          ${geometry.path !== '' ? svg`<path class="line" d=${geometry.path}></path>` : nothing}
          ${geometry.points.map((point, index) => {
            const flagged = flagSeverity(this.pointAt(series, point.at, index)?.interpretation) !== 'normal';
            return svg`<circle class="point ${flagged ? 'flagged' : ''}" cx=${point.x} cy=${point.y} r=${flagged ? 6 : 4.5}></circle>`;
          })}
        </svg>
        <div class="legend" aria-hidden="true">
          ${geometry.band ? html`<span><span class="swatch band"></span>${msg('Normal range', { id: 'record.col-range' })}</span>` : nothing}
          ${unitText ? html`<span>${msg(str`Unit: ${unitText}`, { id: 'record.trend-unit' })}</span>` : nothing}
          ${curves.length > 0
            ? html`<span
                ><span class="swatch curve"></span>${msg(str`Dashed lines: percentiles ${curves.map((c) => format.number(c.percentile)).join(', ')} (CDC growth charts)`, {
                  id: 'record.growth-curves-legend',
                })}</span
              >`
            : nothing}
        </div>
        <details>
          <summary>${msg('Show the values as a table', { id: 'record.trend-show-table' })}</summary>
          <table>
            <caption class="visually-hidden">${title}</caption>
            <thead>
              <tr>
                <th scope="col">${msg('Date', { id: 'record.col-date' })}</th>
                <th scope="col">${msg('Result', { id: 'record.col-result' })}</th>
                <th scope="col">${msg('Flag', { id: 'record.col-flag' })}</th>
                ${hasPercentiles ? html`<th scope="col">${msg('Percentile', { id: 'record.col-percentile' })}</th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${series.points.map(
                (point) => html`<tr>
                  <td>${formatDateOnly(point.time, format)}</td>
                  <td>${this.formatValue(point.value, point.unit ?? series.unit, format)}</td>
                  <td>${flagSeverity(point.interpretation) === 'normal' ? '' : flagText(point.interpretation)}</td>
                  ${hasPercentiles ? html`<td>${percentileText(point.percentile, format)}</td>` : nothing}
                </tr>`,
              )}
            </tbody>
          </table>
        </details>
      </figure>
    `;
  }

  /** The series point behind a plotted point (the geometry sorts by time; series points are already oldest first). */
  private pointAt(series: TrendSeries, at: string, index: number): TrendPoint | undefined {
    const byIndex = series.points[index];
    return byIndex?.time.iso === at ? byIndex : series.points.find((point) => point.time.iso === at);
  }

  private formatValue(value: number, unit: string | undefined, format: Formatters): string {
    return formatQuantityValue(unit === undefined ? { value } : { value, unit }, format);
  }

  private rangeText(range: TrendRangeInput | undefined, unit: string | undefined, format: Formatters): string {
    if (!range) return '';
    const low = range.low !== undefined ? this.formatValue(range.low, unit, format) : '';
    const high = range.high !== undefined ? this.formatValue(range.high, unit, format) : '';
    if (low !== '' && high !== '') return `${low} – ${high}`;
    if (low !== '') return msg(str`${low} or more`, { id: 'record.range-at-least' });
    if (high !== '') return msg(str`up to ${high}`, { id: 'record.range-at-most' });
    return '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-trend-chart': SproutTrendChart;
  }
}
