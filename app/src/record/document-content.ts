/**
 * Reading a document's file through the gateway so the portal can show it in its own frame: the bytes of a
 * `Binary/<id>` attachment (read as a FHIR Binary through /fhir, so the gateway's decision applies) or of inline
 * attachment data (the owning resource re-read through /fhir). Then how to show it: plain text, sanitised HTML, an
 * image (as a data: URL — the portal's CSP allows data: images, not blob:), or "download to read" (PDF and
 * everything else: the CSP allows no plugins or frames).
 */
import type { Binary } from 'fhir/r4';
import type { AttachmentView } from '../../../fhir-mappings/src/index.ts';
import { fetchFhir } from '../api/gateway-client.ts';
import { attachmentAccess, fetchInlineAttachment, gatewayAttachmentHref, type AttachmentOwner } from '../components/attachment-links.ts';

/** Larger files are not shown in the page (only offered for download). */
export const MAX_SHOWN_BYTES = 5 * 1024 * 1024;

export type DocumentShape = 'text' | 'html' | 'image' | 'download';

export function shapeOf(contentType: string | undefined, size: number): DocumentShape {
  if (size > MAX_SHOWN_BYTES) return 'download';
  const type = (contentType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (type === 'text/plain' || type === 'text/markdown') return 'text';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (/^image\/(png|jpeg|gif|webp)$/.test(type)) return 'image';
  return 'download';
}

export interface DocumentContent {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

function bytesFromBase64(data: string): Uint8Array {
  const binary = atob(data.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The file of `attachment` (at `index` in its owner), through the gateway. Rejects with GatewayError when the
 * gateway refuses (a 404 for hidden and missing alike), and with an Error when the file cannot be read here.
 */
export async function loadDocumentContent(owner: AttachmentOwner, attachment: AttachmentView, index: number, signal: AbortSignal): Promise<DocumentContent> {
  const access = attachmentAccess(attachment, index);
  if (access.kind === 'link') {
    const href = gatewayAttachmentHref(attachment.url) ?? '';
    const binary = await fetchFhir<Binary>(href.replace(/^\/fhir\//, ''), signal);
    if (binary.resourceType !== 'Binary' || typeof binary.data !== 'string') throw new Error('The document has no content.');
    return { contentType: binary.contentType ?? attachment.contentType ?? 'application/octet-stream', bytes: bytesFromBase64(binary.data) };
  }
  if (access.kind === 'inline') {
    const blob = await fetchInlineAttachment(owner, attachment, index, signal);
    return { contentType: blob.type || attachment.contentType || 'application/octet-stream', bytes: new Uint8Array(await blob.arrayBuffer()) };
  }
  throw new Error('This file can only be viewed at the hospital.');
}

/** The bytes as text (UTF-8; malformed sequences become U+FFFD rather than failing). */
export function textOf(content: DocumentContent): string {
  return new TextDecoder('utf-8').decode(content.bytes);
}

/** A data: URL for an image (the CSP's img-src allows data:, not blob:). */
export function imageDataUrl(content: DocumentContent): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < content.bytes.length; i += chunk) binary += String.fromCharCode(...content.bytes.subarray(i, i + chunk));
  const type = content.contentType.split(';')[0]?.trim() ?? 'image/png';
  return `data:${type};base64,${btoa(binary)}`;
}

/** A file name for the download: the title, else the type, with an extension for the content type. */
export function downloadName(title: string, contentType: string): string {
  const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 100) || 'document';
  const type = contentType.toLowerCase().split(';')[0]?.trim() ?? '';
  const extension = { 'application/pdf': '.pdf', 'text/plain': '.txt', 'text/html': '.html', 'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif' }[type] ?? '';
  return base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`;
}
