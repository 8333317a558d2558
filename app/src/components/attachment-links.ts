/**
 * Where the app may fetch an attachment's bytes from. Attachments are opened only through the gateway, which applies
 * the same decision to Binary as to the resource that points at it; the browser never goes to the EHR directly.
 *
 * - `Binary/<id>` (relative, or an absolute URL whose path ends in /Binary/<id>, as EHRs write them) → `/fhir/Binary/<id>`.
 * - Inline base64 data → fetched again from the owning resource through /fhir and turned into a Blob on click.
 * - Any other URL (a third-party host, another resource type) is not offered as a link: following it would either
 *   leave the gateway's protection or fail; the document is still listed, with its title.
 */
import type { Attachment, DiagnosticReport, DocumentReference } from 'fhir/r4';
import type { AttachmentView } from '../../../fhir-mappings/src/index.ts';
import { fetchFhir } from '../api/gateway-client.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The same-origin gateway URL for an attachment URL, or undefined when it cannot be served through the gateway. */
export function gatewayAttachmentHref(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  let path: string;
  try {
    path = new URL(url, 'https://relative.invalid/').pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  const id = segments[segments.length - 1];
  if (segments.length < 2 || segments[segments.length - 2] !== 'Binary' || id === undefined || !FHIR_ID.test(id)) return undefined;
  return `/fhir/Binary/${encodeURIComponent(id)}`;
}

export type AttachmentAccess =
  | { readonly kind: 'link'; readonly href: string }
  | { readonly kind: 'inline'; readonly index: number }
  | { readonly kind: 'unavailable' };

/** How the family can open the attachment at `index` of its resource. Prefers the gateway URL over inline data. */
export function attachmentAccess(attachment: AttachmentView, index: number): AttachmentAccess {
  const href = gatewayAttachmentHref(attachment.url);
  if (href !== undefined) return { kind: 'link', href };
  if (attachment.hasInlineData) return { kind: 'inline', index };
  return { kind: 'unavailable' };
}

/** Decodes base64 attachment data into a Blob of the given type. Throws on malformed base64 (the caller shows an error). */
export function blobFromBase64(data: string, contentType: string | undefined): Blob {
  const binary = atob(data.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: contentType ?? 'application/octet-stream' });
}

/** The resources whose attachments the record offers. */
export type AttachmentOwner = { readonly resourceType: 'DocumentReference' | 'DiagnosticReport'; readonly id: string };

/**
 * Finds, in the owning resource as the gateway returns it now, the inline attachment a view describes. The view
 * list may skip unusable attachments, so the match is by title and content type first, position second.
 */
export function pickInlineAttachment(attachments: readonly Attachment[], view: AttachmentView, index: number): Attachment | undefined {
  const withData = attachments.filter((attachment) => typeof attachment.data === 'string' && attachment.data !== '');
  const exact = withData.find((attachment) => attachment.title === view.title && attachment.contentType === view.contentType);
  if (exact) return exact;
  const positional = attachments[index];
  return positional?.data ? positional : withData.length === 1 ? withData[0] : undefined;
}

/**
 * Re-reads the owner through /fhir (so today's decision applies), and returns its inline attachment as a Blob.
 * Rejects with GatewayError when the gateway refuses, and with an Error when the attachment is no longer there.
 */
export async function fetchInlineAttachment(owner: AttachmentOwner, view: AttachmentView, index: number, signal: AbortSignal): Promise<Blob> {
  const path = `${owner.resourceType}/${encodeURIComponent(owner.id)}`;
  let attachments: Attachment[] = [];
  if (owner.resourceType === 'DocumentReference') {
    const document = await fetchFhir<DocumentReference>(path, signal);
    attachments = (document.content ?? []).map((content) => content.attachment);
  } else {
    const report = await fetchFhir<DiagnosticReport>(path, signal);
    attachments = report.presentedForm ?? [];
  }
  const attachment = pickInlineAttachment(attachments, view, index);
  if (!attachment?.data) throw new Error('The attachment is no longer available.');
  return blobFromBase64(attachment.data, attachment.contentType ?? view.contentType);
}
