/** CSS shared by the record's section elements: headings, item cards, metadata lines, badges, print rules. */
import { css } from 'lit';

export const recordSectionStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 1.375rem;
    margin: var(--sprout-space-6) 0 var(--sprout-space-3);
  }
  h3 {
    font-size: 1.125rem;
    margin: 0 0 var(--sprout-space-1);
  }
  h4 {
    font-size: 1rem;
    margin: var(--sprout-space-3) 0 var(--sprout-space-1);
  }
  section + section {
    margin-block-start: var(--sprout-space-6);
  }
  ul.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--sprout-space-3);
  }
  ul.items > li,
  article.card {
    background: var(--sprout-color-surface);
    border: 1px solid var(--sprout-color-border);
    border-radius: var(--sprout-radius);
    padding: var(--sprout-space-3) var(--sprout-space-4);
    overflow-wrap: anywhere;
  }
  article.card + article.card {
    margin-block-start: var(--sprout-space-3);
  }
  .meta {
    margin: 0;
    color: var(--sprout-color-text-muted);
    font-size: 0.9375rem;
  }
  .meta span + span::before {
    content: ' · ';
    color: var(--sprout-color-text-muted);
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(7rem, max-content) 1fr;
    gap: var(--sprout-space-1) var(--sprout-space-3);
    margin: var(--sprout-space-2) 0 0;
  }
  dl.facts dt {
    color: var(--sprout-color-text-muted);
  }
  dl.facts dd {
    margin: 0;
  }
  @media (max-width: 30rem) {
    dl.facts {
      grid-template-columns: 1fr;
    }
    dl.facts dd {
      margin-block-end: var(--sprout-space-1);
    }
  }
  .badge {
    display: inline-block;
    padding: 0 var(--sprout-space-2);
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 0.875rem;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge.warning {
    color: var(--sprout-color-warning-text);
    background: var(--sprout-color-warning-bg);
  }
  .badge.danger {
    color: var(--sprout-color-error-text);
    background: var(--sprout-color-error-bg);
  }
  .badge.quiet {
    color: var(--sprout-color-text-muted);
  }
  .partial-note {
    margin: 0 0 var(--sprout-space-3);
    padding: var(--sprout-space-2) var(--sprout-space-3);
    border-inline-start: 4px solid var(--sprout-color-warning-border);
    background: var(--sprout-color-warning-bg);
    color: var(--sprout-color-warning-text);
  }
  .show-more {
    margin-block-start: var(--sprout-space-3);
  }
  .narrative {
    overflow-x: auto;
    margin-block-start: var(--sprout-space-2);
  }
  .narrative table {
    border-collapse: collapse;
  }
  .narrative td,
  .narrative th {
    border: 1px solid var(--sprout-color-border);
    padding: var(--sprout-space-1);
  }
  details > summary {
    cursor: pointer;
    color: var(--sprout-color-link);
    min-height: 2.75rem;
    display: flex;
    align-items: center;
  }
  .attachments {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-2);
    margin-block-start: var(--sprout-space-2);
  }
  @media print {
    ul.items > li,
    article.card {
      break-inside: avoid;
      border-color: #888;
    }
    .show-more,
    details > summary {
      display: none;
    }
  }
`;
