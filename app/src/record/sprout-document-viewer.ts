/**
 * <sprout-document-viewer>: one document shown in the portal's own frame — a header (the child, the date, who wrote
 * it, what kind of document), then its content: plain text, HTML sanitised with DOMPurify, or an image; PDFs and
 * other files are offered for download (the portal's CSP allows no plugins or frames). Print prints the header and
 * the content (the app's chrome and the list are left out by print CSS); Download saves the file as the gateway
 * gave it. "Back to documents" returns to the list (fires `sprout-close-document`).
 *
 * Properties: `document` (DocumentItem), `attachmentIndex`, `patientName`.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { DocumentItem } from '../../../fhir-mappings/src/index.ts';
import { messageForError } from '../api/error-messages.ts';
import { GatewayError } from '../api/gateway-client.ts';
import '../components/sprout-load-state.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { withPhoneLinks } from '../components/phone-links.ts';
import { formatDateValue, labelText } from '../components/record-labels.ts';
import { sanitizeNarrative } from '../components/sanitize-narrative.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { downloadName, imageDataUrl, loadDocumentContent, shapeOf, textOf, type DocumentContent } from './document-content.ts';
import { documentViewerStyles } from './sprout-document-viewer.styles.ts';

export const CLOSE_DOCUMENT_EVENT = 'sprout-close-document';

@localized()
@customElement('sprout-document-viewer')
export class SproutDocumentViewer extends LitElement {
  static override styles = [sharedStyles, ...documentViewerStyles];

  @property({ attribute: false }) document?: DocumentItem;
  @property({ type: Number, attribute: 'attachment-index' }) attachmentIndex = 0;
  @property({ attribute: 'patient-name' }) patientName = '';

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  private readonly content = new Task(this, {
    task: async ([document, index], { signal }): Promise<DocumentContent | undefined> => {
      const attachment = document?.attachments[index];
      if (!document?.id || !attachment) return undefined;
      return loadDocumentContent({ resourceType: 'DocumentReference', id: document.id }, attachment, index, signal);
    },
    args: () => [this.document, this.attachmentIndex] as const,
  });

  /** Moves focus to the document's heading (when it opens). */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render(): TemplateResult | typeof nothing {
    const document = this.document;
    if (!document) return nothing;
    const format = this.format ?? fallbackFormatters();
    const type = labelText(document.type);
    const attachment = document.attachments[this.attachmentIndex];
    const title = attachment?.title ?? type;
    return html`<article class="viewer" aria-labelledby="doc-h" data-testid="document-viewer">
      <p class="no-print">
        <button type="button" class="link-button" @click=${this.close}>${msg('← Back to documents', { id: 'record.doc-back' })}</button>
      </p>
      <header class="doc-header">
        <h2 id="doc-h" tabindex="-1">${title}</h2>
        <dl class="doc-facts" data-testid="document-header">
          <div><dt>${msg('Patient', { id: 'record.doc-patient', desc: 'The child or person the document is about' })}</dt><dd>${this.patientName}</dd></div>
          ${document.date ? html`<div><dt>${msg('Date', { id: 'record.col-date' })}</dt><dd>${formatDateValue(document.date, format)}</dd></div>` : nothing}
          ${document.authors.length > 0
            ? html`<div><dt>${msg('Written by', { id: 'record.doc-author' })}</dt><dd>${document.authors.join(', ')}</dd></div>`
            : nothing}
          <div><dt>${msg('Type', { id: 'record.doc-type', desc: 'What kind of document (discharge summary, school note…)' })}</dt><dd>${type}</dd></div>
        </dl>
      </header>
      ${this.content.render({
        initial: () => html`<sprout-load-state state="loading"></sprout-load-state>`,
        pending: () => html`<sprout-load-state state="loading"></sprout-load-state>`,
        complete: (content) => (content ? this.renderContent(content, title, type) : this.renderUnavailable()),
        error: (error) =>
          error instanceof GatewayError || !(error instanceof Error)
            ? html`<sprout-load-state state="error" message=${messageForError(error)} @sprout-retry=${() => void this.content.run()}></sprout-load-state>`
            : this.renderUnavailable(),
      })}
    </article>`;
  }

  private renderUnavailable(): TemplateResult {
    return html`<p class="muted" data-testid="document-unavailable">${msg('This file can only be viewed at the hospital.', { id: 'record.file-unavailable' })}</p>`;
  }

  private renderContent(content: DocumentContent, title: string, type: string): TemplateResult {
    const shape = shapeOf(content.contentType, content.bytes.length);
    const actions = html`<p class="actions no-print">
      ${shape !== 'download'
        ? html`<button type="button" class="button" @click=${() => window.print()}>${msg('Print', { id: 'record.doc-print' })}</button>`
        : nothing}
      <button type="button" class="button secondary" @click=${() => this.download(content, title)}>
        ${msg('Download', { id: 'record.doc-download' })}<span class="visually-hidden">: ${title}</span>
      </button>
    </p>`;
    switch (shape) {
      case 'text':
        return html`${actions}
          <div class="doc-body doc-text" data-testid="document-content">${withPhoneLinks(textOf(content))}</div>`;
      case 'html':
        return html`${actions}
          <div class="doc-body narrative" data-testid="document-content">${unsafeHTML(sanitizeNarrative(textOf(content)))}</div>`;
      case 'image':
        return html`${actions}
          <div class="doc-body" data-testid="document-content"><img src=${imageDataUrl(content)} alt=${type} /></div>`;
      case 'download':
      default:
        return html`<p data-testid="document-download-only">
            ${msg(str`This ${type} can’t be shown in the page. Download it to read it.`, { id: 'record.doc-download-only' })}
          </p>
          ${actions}`;
    }
  }

  private download(content: DocumentContent, title: string): void {
    const url = URL.createObjectURL(new Blob([content.bytes as BlobPart], { type: content.contentType }));
    const anchor = window.document.createElement('a');
    anchor.href = url;
    anchor.download = downloadName(title, content.contentType);
    anchor.rel = 'noopener';
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent(CLOSE_DOCUMENT_EVENT, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-document-viewer': SproutDocumentViewer;
  }
}
