/**
 * Attachment rules, pure: at most 5 files, each at most 10 MB, of a type decided by the file's first bytes (PDF, JPEG,
 * PNG) — never by its name or the browser's claim — and a name made safe to show and to store.
 */
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const EXTENSIONS: Readonly<Record<AttachmentType, string>> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** The type the bytes are, or undefined when they are none of the accepted ones (an .exe renamed .pdf, say). */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return undefined;
}

/**
 * A display name without paths, control or markup characters, at most 100 characters, ending in the extension of the
 * sniffed type ("../../etc/passwd" → "passwd.pdf"; "<script>.png" → "script.png").
 */
export function sanitizeFileName(name: string, type: AttachmentType): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*`$&;{}[\]]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s-]+/, '')
    .trim();
  const stem = cleaned.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 90).trim() || 'attachment';
  return `${stem}.${EXTENSIONS[type]}`;
}

export interface CheckedAttachment {
  readonly name: string;
  readonly contentType: AttachmentType;
  readonly data: Uint8Array;
}

export type AttachmentProblem =
  | { readonly problem: 'too-many' }
  | { readonly problem: 'too-large'; readonly name: string }
  | { readonly problem: 'unsupported-type'; readonly name: string }
  | { readonly problem: 'empty'; readonly name: string };

export function checkAttachments(files: readonly { readonly name: string; readonly data: Uint8Array }[]): CheckedAttachment[] | AttachmentProblem {
  if (files.length > MAX_ATTACHMENTS) return { problem: 'too-many' };
  const checked: CheckedAttachment[] = [];
  for (const file of files) {
    const shownName = file.name.slice(0, 100);
    if (file.data.byteLength === 0) return { problem: 'empty', name: shownName };
    if (file.data.byteLength > MAX_ATTACHMENT_BYTES) return { problem: 'too-large', name: shownName };
    const type = sniffAttachmentType(file.data);
    if (type === undefined) return { problem: 'unsupported-type', name: shownName };
    checked.push({ name: sanitizeFileName(file.name, type), contentType: type, data: file.data });
  }
  return checked;
}
