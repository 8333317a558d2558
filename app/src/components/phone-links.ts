/**
 * Every phone number in the record views is tap-to-call: a `tel:` link. Pure text helpers (find numbers, build the
 * tel: URL) plus two renderers — for plain text (Lit template) and for sanitised narrative HTML (text nodes outside
 * existing links are split, numbers wrapped in <a href="tel:…">).
 *
 * Numbers recognised: North American numbers with separators ("(714) 509-8460", "714-509-8460", "714.509.8460",
 * "+1 714 509 8460") and international numbers written with a leading "+" and at least 8 digits. Runs of digits
 * without separators (record numbers, lot numbers) are never taken for phone numbers.
 */
import { html, type TemplateResult } from 'lit';

const PHONE_PATTERN = /(?<![\w+])(?:(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}|\+\d{1,3}(?:[ .-]?\d{2,4}){2,5})(?![\w-])/g;

/** Digits and a leading + for a tel: URL; undefined when the text has too few digits to be a phone number. */
export function telHref(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return digits.replace('+', '').length >= 7 ? `tel:${digits}` : undefined;
}

export interface TextPart {
  readonly text: string;
  /** Set when this part is a phone number. */
  readonly tel?: string;
}

/** Splits text into plain parts and phone-number parts, in order; joining the texts gives the input back. */
export function splitPhoneNumbers(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(PHONE_PATTERN)) {
    const tel = telHref(match[0]);
    if (tel === undefined || match.index === undefined) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], tel });
    last = match.index + match[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last) });
  return parts;
}

/** Plain text with its phone numbers as tel: links. */
export function withPhoneLinks(text: string | undefined): TemplateResult {
  const parts = splitPhoneNumbers(text ?? '');
  return html`${parts.map((part) => (part.tel === undefined ? part.text : html`<a href=${part.tel}>${part.text}</a>`))}`;
}

/** A phone number as a tel: link (the text as given when it is not dialable). */
export function phoneLink(phone: string): TemplateResult {
  const tel = telHref(phone);
  return tel === undefined ? html`${phone}` : html`<a href=${tel}>${phone}</a>`;
}

/** Wraps phone numbers in the text of already-sanitised HTML in tel: links (text inside <a> is left alone). */
export function linkPhonesInHtml(safeHtml: string): string {
  if (safeHtml === '' || !PHONE_PATTERN.test(safeHtml)) return safeHtml;
  PHONE_PATTERN.lastIndex = 0;
  const template = document.createElement('template');
  template.innerHTML = safeHtml;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node instanceof Text && node.parentElement?.closest('a') === null) textNodes.push(node);
  }
  for (const node of textNodes) {
    const parts = splitPhoneNumbers(node.data);
    if (parts.every((part) => part.tel === undefined)) continue;
    const fragment = document.createDocumentFragment();
    for (const part of parts) {
      if (part.tel === undefined) {
        fragment.append(part.text);
      } else {
        const link = document.createElement('a');
        link.href = part.tel;
        link.textContent = part.text;
        fragment.append(link);
      }
    }
    node.replaceWith(fragment);
  }
  return template.innerHTML;
}
