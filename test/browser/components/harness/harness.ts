/**
 * Browser harness for the record components: loads the real elements, tokens and localization, and exposes a small
 * API on window for the tests (mount an element with view-model properties, switch language).
 */
import '../../../../app/src/styles/tokens.css';
import '../../../../app/src/components/sprout-result-table.ts';
import '../../../../app/src/components/sprout-trend-chart.ts';
import '../../../../app/src/components/sprout-restricted-notice.ts';
import '../../../../app/src/components/sprout-load-state.ts';
import { sanitizeNarrative } from '../../../../app/src/components/sanitize-narrative.ts';
import { switchLocale } from '../../../../app/src/i18n/localization.ts';
import type { AppLocale } from '../../../../app/src/i18n/locales.ts';

export interface Harness {
  /** Replaces the stage with a new `tag` element, assigns `properties`, and resolves when it has rendered. */
  mount(tag: string, properties: Record<string, unknown>): Promise<void>;
  switchLocale(locale: AppLocale): Promise<void>;
  sanitize(html: unknown): string;
  ready: true;
}

declare global {
  interface Window {
    harness: Harness;
  }
}

async function mount(tag: string, properties: Record<string, unknown>): Promise<void> {
  const stage = document.getElementById('stage');
  if (!stage) throw new Error('harness: no #stage');
  const element = document.createElement(tag) as HTMLElement & { updateComplete?: Promise<boolean> };
  Object.assign(element, properties);
  stage.replaceChildren(element);
  await element.updateComplete;
}

async function changeLocale(locale: AppLocale): Promise<void> {
  await switchLocale(locale);
  // Let every @localized element re-render before the test reads the page.
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}

window.harness = { mount, switchLocale: changeLocale, sanitize: sanitizeNarrative, ready: true };
document.documentElement.dataset['harnessReady'] = 'true';
