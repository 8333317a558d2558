/**
 * <sprout-result-context>: "What the latest results mean" — for each test (newest value of each LOINC code), the
 * plain-language context from fhir-mappings (resultContext): what the test measures, where the value sits against its
 * usual range, and how it compares with the child's previous value, in the reader's language. Renders nothing when
 * no test has anything honest to say. Properties: `results` (TestResults).
 */
import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { plainLanguage, resultContext, type ObservationResult, type ResultContext, type TestResults } from '../../../fhir-mappings/src/index.ts';
import { fallbackFormatters } from '../components/format-fallback.ts';
import { formatResultValue, testNames } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';

/** Every result once, from reports and ungrouped groups. */
export function allResults(results: TestResults): ObservationResult[] {
  return [...results.reports.flatMap((report) => report.results), ...results.ungrouped.flatMap((group) => group.results)];
}

/** The newest result of each LOINC code, with its context (tests without any context are left out). */
export function latestWithContext(results: TestResults, locale: string): { result: ObservationResult; context: ResultContext }[] {
  const all = allResults(results);
  const when = (result: ObservationResult) => result.effective?.iso ?? result.issued?.iso ?? '';
  const newest = new Map<string, ObservationResult>();
  for (const result of all) {
    if (result.loinc === undefined) continue;
    const seen = newest.get(result.loinc);
    if (seen === undefined || when(result) > when(seen)) newest.set(result.loinc, result);
  }
  const language = plainLanguage(locale);
  return [...newest.values()]
    .sort((a, b) => (when(a) < when(b) ? 1 : -1))
    .flatMap((result) => {
      const context = resultContext(result, all, language);
      return context === undefined ? [] : [{ result, context }];
    });
}

@localized()
@customElement('sprout-result-context')
export class SproutResultContext extends LitElement {
  static override styles = sharedStyles;

  @property({ attribute: false }) results?: TestResults;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  override render() {
    const format = this.format ?? fallbackFormatters();
    if (!this.results) return nothing;
    const items = latestWithContext(this.results, format.locale);
    if (items.length === 0) return nothing;
    return html`<section aria-labelledby="context-h" data-testid="result-context">
      <h2 id="context-h">${msg('What the latest results mean', { id: 'record.context-heading' })}</h2>
      <ul>
        ${items.map(({ result, context }) => {
          const name = testNames(result.label, result.codes, format).plain;
          const value = formatResultValue(result.value, format);
          return html`<li>
            <strong>${value === '' ? name : msg(str`${name}: ${value}`, { id: 'record.context-name-value' })}</strong>
            ${[context.measures, context.rangeSentence, context.trendSentence].filter((line) => line !== undefined).join(' ')}
          </li>`;
        })}
      </ul>
      <p class="note">
        ${msg('These notes are general. The care team can explain what these results mean.', { id: 'record.context-note' })}
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-result-context': SproutResultContext;
  }
}
