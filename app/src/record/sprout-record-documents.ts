/**
 * <sprout-record-documents>: visit summaries, discharge papers, school notes (DocumentReference), newest first, each
 * opened or downloaded through the gateway. With `onlyNonConfidential` (the allow-list view) only documents labelled
 * non-confidential are listed — the gateway already filters; this is defence in depth, and says nothing about the
 * others. Pages like visits (fires `sprout-load-more` with list "documents").
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DocumentItem } from '../../../fhir-mappings/src/index.ts';
import '../components/sprout-attachment-list.ts';
import '../components/sprout-load-state.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { withPhoneLinks } from '../components/phone-links.ts';
import { formatDateValue, labelText } from '../components/record-labels.ts';
import { LIST_PAGE_SIZE, LOAD_MORE_EVENT, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { recordDocumentsStyles } from './sprout-record-documents.styles.ts';

@localized()
@customElement('sprout-record-documents')
export class SproutRecordDocuments extends LitElement {
  static override styles = [sharedStyles, ...recordDocumentsStyles];

  @property({ attribute: false }) documents: readonly DocumentItem[] = [];
  @property({ type: Boolean }) onlyNonConfidential = false;
  @property({ type: Boolean }) moreOnServer = false;
  @property({ type: Boolean }) loadingMore = false;
  @property({ type: Boolean }) partial = false;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shown = LIST_PAGE_SIZE;

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const title = msg('Documents', { id: 'record.documents' });
    const documents = this.onlyNonConfidential ? this.documents.filter((d) => d.nonConfidential) : this.documents;
    return html`
      ${renderPartialNote(this.partial)}
      <h2>${title}</h2>
      ${documents.length === 0
        ? html`<sprout-load-state state="empty" message=${msg('No documents yet.', { id: 'record.documents-empty' })}></sprout-load-state>`
        : html`<ul class="items">
            ${documents.slice(0, this.shown).map((document) => {
              const type = labelText(document.type);
              return html`<li>
                <h3>${type}</h3>
                <p class="meta">
                  ${document.date ? html`<span>${formatDateValue(document.date, format)}</span>` : nothing}
                  ${document.authors.length > 0 ? html`<span>${document.authors.join(', ')}</span>` : nothing}
                </p>
                ${document.description ? html`<p>${withPhoneLinks(document.description)}</p>` : nothing}
                <sprout-attachment-list
                  .attachments=${document.attachments}
                  .owner=${document.id ? { resourceType: 'DocumentReference', id: document.id } : undefined}
                  fallback-title=${type}
                ></sprout-attachment-list>
              </li>`;
            })}
          </ul>`}
      ${renderShowMore({
        hiddenLoaded: documents.length - this.shown,
        moreOnServer: this.moreOnServer,
        busy: this.loadingMore,
        listName: title,
        onShowMore: () => {
          this.shown += LIST_PAGE_SIZE;
          if (this.shown > documents.length && this.moreOnServer) {
            this.dispatchEvent(new CustomEvent(LOAD_MORE_EVENT, { detail: { list: 'documents' }, bubbles: true, composed: true }));
          }
        },
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-documents': SproutRecordDocuments;
  }
}
