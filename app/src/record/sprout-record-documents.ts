/**
 * <sprout-record-documents>: visit summaries, discharge papers, school notes (DocumentReference), newest first. Each
 * file is read in the portal's own frame (<sprout-document-viewer>: a header with the child, date, author and type,
 * the content sanitised, printable and downloadable) or downloaded, always through the gateway. With `onlyNonConfidential` (the allow-list view) only documents labelled
 * non-confidential are listed — the gateway already filters; this is defence in depth, and says nothing about the
 * others. Pages like visits (fires `sprout-load-more` with list "documents").
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AttachmentView, DocumentItem } from '../../../fhir-mappings/src/index.ts';
import { attachmentAccess } from '../components/attachment-links.ts';
import { fileKindText } from '../components/sprout-attachment-list.ts';
import '../components/sprout-load-state.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { withPhoneLinks } from '../components/phone-links.ts';
import { formatDateValue, labelText } from '../components/record-labels.ts';
import { LIST_PAGE_SIZE, LOAD_MORE_EVENT, renderPartialNote, renderShowMore } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { CLOSE_DOCUMENT_EVENT, type SproutDocumentViewer } from './sprout-document-viewer.ts';
import './sprout-document-viewer.ts';
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
  /** The child's name, for the open document's header. */
  @property({ attribute: 'patient-name' }) patientName = '';

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private shown = LIST_PAGE_SIZE;
  /** The document being read in the page (its key and attachment), if any. */
  @state() private reading?: { readonly key: string; readonly index: number };

  constructor() {
    super();
    this.addEventListener(CLOSE_DOCUMENT_EVENT, () => void this.closeDocument());
  }

  private async openDocument(key: string, index: number): Promise<void> {
    this.reading = { key, index };
    await this.updateComplete;
    await this.renderRoot.querySelector<SproutDocumentViewer>('sprout-document-viewer')?.focusHeading();
  }

  private async closeDocument(): Promise<void> {
    const was = this.reading;
    this.reading = undefined;
    await this.updateComplete;
    if (was) this.renderRoot.querySelector<HTMLElement>(`button[data-read="${CSS.escape(`${was.key}#${was.index}`)}"]`)?.focus();
  }

  override render(): TemplateResult {
    const format = this.format ?? fallbackFormatters();
    const title = msg('Documents', { id: 'record.documents' });
    const documents = this.onlyNonConfidential ? this.documents.filter((d) => d.nonConfidential) : this.documents;
    const open = this.reading ? documents.find((d) => d.key === this.reading?.key) : undefined;
    if (open && this.reading) {
      return html`${renderPartialNote(this.partial)}
        <sprout-document-viewer .document=${open} attachment-index=${this.reading.index} patient-name=${this.patientName}></sprout-document-viewer>`;
    }
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
                ${this.renderFiles(document, type)}
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

  /** Per file: read it in the page, and download it (a /fhir link, so it is fetched through the gateway). */
  private renderFiles(document: DocumentItem, type: string): TemplateResult | typeof nothing {
    if (document.attachments.length === 0) return nothing;
    return html`<ul class="files">
      ${document.attachments.map((attachment: AttachmentView, index) => {
        const access = attachmentAccess(attachment, index);
        const name = attachment.title ?? type;
        const kind = fileKindText(attachment.contentType);
        if (access.kind === 'unavailable' || !document.id) {
          return html`<li><span class="muted">${msg('This file can only be viewed at the hospital.', { id: 'record.file-unavailable' })}</span></li>`;
        }
        return html`<li>
          <button type="button" class="button" data-read=${`${document.key}#${index}`} @click=${() => void this.openDocument(document.key, index)}>
            ${msg(str`Read ${name}`, { id: 'record.doc-read' })}${kind ? html` <span class="kind">(${kind})</span>` : nothing}
          </button>
          ${access.kind === 'link'
            ? html`<a class="button secondary" href=${access.href} download
                >${msg('Download', { id: 'record.doc-download' })}<span class="visually-hidden">: ${name}</span></a
              >`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-record-documents': SproutRecordDocuments;
  }
}
