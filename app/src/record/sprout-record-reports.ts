/**
 * <sprout-record-reports>: imaging and other reports (DiagnosticReports outside the lab category), newest first,
 * each as a report card. Properties: `reports` (ReportView[]), `partial`.
 */
import { localized, msg } from '@lit/localize';
import { html, LitElement, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReportView } from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-load-state.ts';
import '../components/sprout-report-card.ts';
import { LIST_PAGE_SIZE, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { recordReportsStyles } from './sprout-record-reports.styles.ts';

@localized()
@customElement('sprout-record-reports')
export class SproutRecordReports extends LitElement {
  static override styles = [sharedStyles, ...recordReportsStyles];

  @property({ attribute: false }) reports: readonly ReportView[] = [];
  @property({ type: Boolean }) partial = false;
  @state() private shown = LIST_PAGE_SIZE;

  override render(): TemplateResult {
    const title = msg('Imaging and other reports', { id: 'record.imaging-heading' });
    return html`
      ${renderPartialNote(this.partial)}
      <h2>${title}</h2>
      ${this.reports.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No imaging or other reports yet.', { id: 'record.imaging-empty' })}></sprout-load-state>`
        : this.reports.slice(0, this.shown).map((report) => html`<sprout-report-card .report=${report}></sprout-report-card>`)}
      ${renderShowMore({ hiddenLoaded: this.reports.length - this.shown, moreOnServer: false, listName: title, onShowMore: () => (this.shown += LIST_PAGE_SIZE) })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-reports': SproutRecordReports;
  }
}
