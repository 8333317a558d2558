/**
 * Sanitises FHIR narrative XHTML (Resource.text.div) and attachment HTML before it reaches `unsafeHTML`.
 * Narrative is author-controlled free text from the EHR: scripts, handlers, styles, forms, frames and remote images
 * are removed, and every surviving link opens in a new tab without an opener or referrer. Browser only (DOMPurify
 * needs a DOM); an empty or non-string input gives ''. Phone numbers in the text become tel: links (phone-links.ts).
 */
import DOMPurify from 'dompurify';
import { linkPhonesInHtml } from './phone-links.ts';

const purifier = DOMPurify(window);

// Links keep their href (DOMPurify already drops javascript: and other unsafe schemes) but never get window.opener.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof Element && node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const SANITIZE_CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math'],
  FORBID_ATTR: ['style', 'class', 'id'],
  ALLOW_DATA_ATTR: false,
};

export function sanitizeNarrative(html: unknown): string {
  if (typeof html !== 'string' || html.trim() === '') return '';
  return linkPhonesInHtml(purifier.sanitize(html, SANITIZE_CONFIG));
}
