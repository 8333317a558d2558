/**
 * A test's name as a family reads it, with the formal (EHR) name on demand: the plain name, then — only when the
 * formal name says something more — a native disclosure "Formal name" that reveals it. Shared by the result table,
 * its phone-width cards, report cards and trend charts.
 */
import { msg } from '@lit/localize';
import { css, html, nothing, type TemplateResult } from 'lit';

export function renderFormalName(names: { readonly plain: string; readonly formal?: string }): TemplateResult | typeof nothing {
  if (names.formal === undefined) return nothing;
  return html`<details class="formal no-print">
    <summary>${msg('Formal name', { id: 'record.formal-name', desc: 'Reveals the technical name the lab used for a test' })}</summary>
    <span class="formal-text" lang="en">${names.formal}</span>
  </details>`;
}

/** Styles for renderFormalName; include in the element's styles. */
export const formalNameStyles = css`
  .formal {
    font-size: 0.875rem;
    font-weight: 400;
    margin-block: var(--sprout-space-1);
  }
  .formal summary {
    cursor: pointer;
    color: var(--sprout-color-link);
    min-height: 1.5rem;
    width: fit-content;
  }
  .formal-text {
    color: var(--sprout-color-text-muted);
    overflow-wrap: anywhere;
  }
`;
