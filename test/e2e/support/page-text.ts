/**
 * Reading what a person (or a screen reader) gets from a page built of Lit elements: `innerText` stops at shadow
 * roots, so these walk the flattened tree (shadow roots, slotted light DOM) in the browser.
 */
import type { Locator, Page } from 'playwright-core';

/**
 * Runs in the browser (serialised by Playwright, so it must stay self-contained). One line per text node, in
 * document order through every shadow root; skips style/script/template and elements that are not rendered
 * (display:none, hidden); keeps screen-reader-only text (visually-hidden clip) and aria-label / alt text, because
 * those are words the family receives too.
 */
function collectText(root: Element): string[] {
  const lines: string[] = [];
  const skip = ['STYLE', 'SCRIPT', 'TEMPLATE', 'NOSCRIPT'];
  const push = (text: string | null | undefined): void => {
    const clean = (text ?? '').replace(/\s+/g, ' ').trim();
    if (clean !== '') lines.push(clean);
  };
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      push(node.textContent);
      return;
    }
    if (node instanceof Element) {
      if (skip.includes(node.tagName)) return;
      if (!node.checkVisibility()) return;
      push(node.getAttribute('aria-label'));
      push(node.getAttribute('alt'));
      if (node instanceof HTMLSlotElement) {
        const assigned = node.assignedNodes({ flatten: true });
        (assigned.length > 0 ? assigned : [...node.childNodes]).forEach(walk);
        return;
      }
      if (node.shadowRoot) {
        node.shadowRoot.childNodes.forEach(walk);
        return;
      }
    }
    node.childNodes.forEach(walk);
  };
  walk(root);
  return lines;
}

/** The rendered text lines of the page (or of one element), through shadow roots. */
export async function textLines(target: Page | Locator): Promise<string[]> {
  const root = 'goto' in target ? target.locator('body') : target;
  return root.evaluate(collectText);
}

/** The same, joined with newlines (for `toContain` / `not.toContain`). */
export async function visibleText(target: Page | Locator): Promise<string> {
  return (await textLines(target)).join('\n');
}
