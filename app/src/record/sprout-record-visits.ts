/**
 * <sprout-record-visits>: visits (Encounters), newest first — type, dates, place, clinicians, reasons, and the
 * visit's narrative summary sanitised with DOMPurify. Long lists page: first what is loaded, then the gateway's
 * next page (fires `sprout-load-more` with list "encounters").
 * Properties: `visits` (VisitItem[]), `moreOnServer`, `loadingMore`, `partial`.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { plainVisitWords, type VisitItem } from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-load-state.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { formatPeriodValue, labelText } from '../components/record-labels.ts';
import { sanitizeNarrative } from '../components/sanitize-narrative.ts';
import { LIST_PAGE_SIZE, LOAD_MORE_EVENT, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { recordVisitsStyles } from './sprout-record-visits.styles.ts';

@localized()
@customElement('sprout-record-visits')
export class SproutRecordVisits extends LitElement {
  static override styles = [sharedStyles, ...recordVisitsStyles];

  @property({ attribute: false }) visits: readonly VisitItem[] = [];
  @property({ type: Boolean }) moreOnServer = false;
  @property({ type: Boolean }) loadingMore = false;
  @property({ type: Boolean }) partial = false;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shown = LIST_PAGE_SIZE;

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const title = msg('Visits', { id: 'record.visits' });
    return html`
      ${renderPartialNote(this.partial)}
      <h2>${title}</h2>
      ${this.visits.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No visits recorded.', { id: 'record.visits-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${this.visits.slice(0, this.shown).map((visit) => this.renderVisit(visit, format))}
          </ul>`}
      ${renderShowMore({
        hiddenLoaded: this.visits.length - this.shown,
        moreOnServer: this.moreOnServer,
        busy: this.loadingMore,
        listName: title,
        onShowMore: () => this.showMore(),
      })}
    `;
  }

  private showMore(): void {
    this.shown += LIST_PAGE_SIZE;
    if (this.shown > this.visits.length && this.moreOnServer) {
      this.dispatchEvent(new CustomEvent(LOAD_MORE_EVENT, { detail: { list: 'encounters' }, bubbles: true, composed: true }));
    }
  }

  private renderVisit(visit: VisitItem, format: Formatters): TemplateResult {
    const when = formatPeriodValue(visit.period, format);
    const words = plainVisitWords(visit, format.locale);
    const narrative = sanitizeNarrative(visit.unsafeNarrativeXhtml);
    return html`<li data-testid="visit">
      <h3>${words.name ?? labelText(visit.label)}</h3>
      <p class="meta">
        ${when ? html`<span>${when}</span>` : nothing} ${words.kind ? html`<span>${words.kind}</span>` : nothing}
        ${words.service ? html`<span>${words.service}</span>` : nothing}
      </p>
      <dl class="facts">
        ${visit.locations.length > 0 ? html`<dt>${msg('Where', { id: 'record.where' })}</dt><dd>${visit.locations.join(', ')}</dd>` : nothing}
        ${visit.practitioners.length > 0 ? html`<dt>${msg('Seen by', { id: 'record.seen-by' })}</dt><dd>${visit.practitioners.join(', ')}</dd>` : nothing}
        ${visit.reasons.length > 0 ? html`<dt>${msg('Reason', { id: 'record.reason' })}</dt><dd>${visit.reasons.map((r) => labelText(r)).join(', ')}</dd>` : nothing}
      </dl>
      ${narrative
        ? html`<details>
            <summary>${msg('Visit summary', { id: 'record.visit-summary' })}</summary>
            <div class="narrative">${unsafeHTML(narrative)}</div>
          </details>`
        : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-visits': SproutRecordVisits;
  }
}
