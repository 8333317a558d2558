/** Helpers shared by the record page's browser tests. */
import type { Locator } from 'playwright-core';

/** Visible text of an element including every nested shadow root (innerText stops at shadow boundaries). */
export async function deepText(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    const parts: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element && node.shadowRoot) node.shadowRoot.childNodes.forEach(walk);
      if (node instanceof HTMLStyleElement) return;
      node.childNodes.forEach(walk);
    };
    walk(root);
    return parts.join(' ').replace(/\s+/g, ' ');
  });
}
