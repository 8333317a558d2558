/**
 * <sprout-attachment-list>: the files of a document or report ("Open visit summary (PDF)"), opened only through the
 * gateway — a /fhir/Binary link, or, for inline data, a button that re-reads the owning resource through /fhir and
 * saves the bytes. Anything else is named but not linked (see attachment-links.ts).
 *
 * Properties: `attachments` (AttachmentView[]), `owner` ({ resourceType, id }), `fallbackTitle` (what the file is
 * when it has no title, e.g. the document type).
 */
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AttachmentView } from '../../../fhir-mappings/src/index.ts';
import { messageForError } from '../api/error-messages.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { attachmentAccess, fetchInlineAttachment, type AttachmentOwner } from './attachment-links.ts';
import { attachmentListStyles } from './sprout-attachment-list.styles.ts';

/** "PDF", "Image", "Text" … a word for the file type; '' when unknown. */
export function fileKindText(contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (type === 'application/pdf') return 'PDF';
  if (type.startsWith('image/')) return msg('Image', { id: 'record.file-image' });
  if (type === 'text/html' || type === 'application/xhtml+xml') return msg('Web page', { id: 'record.file-html' });
  if (type.startsWith('text/')) return msg('Text', { id: 'record.file-text' });
  return '';
}

@localized()
@customElement('sprout-attachment-list')
export class SproutAttachmentList extends LitElement {
  static override styles = [sharedStyles, attachmentListStyles];

  @property({ attribute: false }) attachments: readonly AttachmentView[] = [];
  @property({ attribute: false }) owner?: AttachmentOwner;
  @property({ attribute: 'fallback-title' }) fallbackTitle = '';

  @state() private busyIndex?: number;
  @state() private error = '';
  private controller?: AbortController;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
  }

  override render(): TemplateResult | typeof nothing {
    if (this.attachments.length === 0) return nothing;
    return html`<ul>
        ${this.attachments.map((attachment, index) => html`<li>${this.renderAttachment(attachment, index)}</li>`)}
      </ul>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private label(attachment: AttachmentView): string {
    const title = attachment.title ?? this.fallbackTitle ?? '';
    const kind = fileKindText(attachment.contentType);
    const name = title !== '' ? title : msg('document', { id: 'record.file-generic' });
    return kind ? msg(str`Open ${name} (${kind})`, { id: 'record.open-file-kind' }) : msg(str`Open ${name}`, { id: 'record.open-file' });
  }

  private renderAttachment(attachment: AttachmentView, index: number): TemplateResult {
    const access = attachmentAccess(attachment, index);
    switch (access.kind) {
      case 'link':
        return html`<a class="button secondary" href=${access.href} target="_blank" rel="noopener">${this.label(attachment)}</a>`;
      case 'inline':
        return html`<button
          type="button"
          class="button secondary"
          ?disabled=${this.busyIndex === index}
          @click=${() => void this.openInline(attachment, index)}
        >
          ${this.busyIndex === index ? msg('Loading…', { id: 'record.loading' }) : this.label(attachment)}
        </button>`;
      case 'unavailable':
      default:
        return html`<span class="unavailable">${msg('This file can only be viewed at the hospital.', { id: 'record.file-unavailable' })}</span>`;
    }
  }

  private async openInline(attachment: AttachmentView, index: number): Promise<void> {
    if (!this.owner) return;
    this.controller?.abort();
    this.controller = new AbortController();
    this.busyIndex = index;
    this.error = '';
    try {
      const blob = await fetchInlineAttachment(this.owner, attachment, index, this.controller.signal);
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = attachment.title ?? this.fallbackTitle ?? 'document';
      anchor.rel = 'noopener';
      anchor.click();
      // Give the browser time to start the download before the URL is released.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      if (this.controller.signal.aborted) return;
      this.error = messageForError(error);
    } finally {
      this.busyIndex = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-attachment-list': SproutAttachmentList;
  }
}
