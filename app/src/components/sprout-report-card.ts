/**
 * <sprout-report-card>: one DiagnosticReport — name, date, status, who reported it, its results as a result table,
 * the conclusion, the full report files (presentedForm, through the gateway) and the narrative (sanitised with
 * DOMPurify before `unsafeHTML`). Used for lab panels and for imaging and other reports.
 *
 * Properties: `report` (ReportView), `trendCodes` (passed to the result table). Heading level h3.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ReportView } from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';
import { reportStatusText } from '../record/record-status-labels.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { withPhoneLinks } from './phone-links.ts';
import { formatDateValue, testNames } from './record-labels.ts';
import { formalNameStyles, renderFormalName } from './test-name.ts';
import { sanitizeNarrative } from './sanitize-narrative.ts';
import './sprout-attachment-list.ts';
import './sprout-result-table.ts';
import { reportCardStyles } from './sprout-report-card.styles.ts';

@localized()
@customElement('sprout-report-card')
export class SproutReportCard extends LitElement {
  static override styles = [sharedStyles, ...reportCardStyles, formalNameStyles];

  @property({ attribute: false }) report?: ReportView;
  @property({ attribute: false }) trendCodes: readonly string[] = [];

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const format = this.format ?? fallbackFormatters();
    const names = testNames(report.label, report.codes, format);
    const title = names.plain;
    const status = reportStatusText(report.status);
    const narrative = sanitizeNarrative(report.unsafeNarrativeXhtml);
    return html`<article class="card" data-testid="report">
      <h3>${title}</h3>
      ${renderFormalName(names)}
      <p class="meta">
        ${report.effective ?? report.issued ? html`<span>${formatDateValue(report.effective ?? report.issued, format)}</span>` : nothing}
        ${status ? html`<span>${status}</span>` : nothing}
        ${report.performers.length > 0 ? html`<span>${report.performers.join(', ')}</span>` : nothing}
      </p>
      ${report.results.length > 0
        ? html`<sprout-result-table .results=${report.results} .trendCodes=${this.trendCodes} caption=${title}></sprout-result-table>`
        : nothing}
      ${report.conclusion
        ? html`<div>
            <h4>${msg('Conclusion', { id: 'record.conclusion', desc: "The reporting clinician's summary of a report" })}</h4>
            <p class="conclusion">${withPhoneLinks(report.conclusion)}</p>
          </div>`
        : nothing}
      ${report.presentedForm.length > 0
        ? html`<sprout-attachment-list
            .attachments=${report.presentedForm}
            .owner=${report.id ? { resourceType: 'DiagnosticReport', id: report.id } : undefined}
            fallback-title=${title}
          ></sprout-attachment-list>`
        : nothing}
      ${narrative
        ? html`<details>
            <summary>${msg('Full report', { id: 'record.full-report' })}</summary>
            <div class="narrative">${unsafeHTML(narrative)}</div>
          </details>`
        : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-report-card': SproutReportCard;
  }
}
