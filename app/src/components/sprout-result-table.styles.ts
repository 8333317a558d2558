import { css } from 'lit';

export const resultTableStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .cards {
    display: none;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .result-card {
    padding: var(--sprout-space-2) 0;
    border-block-end: 1px solid var(--sprout-color-border);
  }
  .result-card p {
    margin: 0;
  }
  .card-name {
    font-weight: 600;
    overflow-wrap: break-word;
  }
  .card-value {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-1) var(--sprout-space-3);
    align-items: baseline;
  }
  .result-card.abnormal .card-value .value,
  .result-card.critical .card-value .value {
    font-weight: 700;
  }
  .card-range {
    font-size: 0.875rem;
    color: var(--sprout-color-text-muted);
  }
  .card-components {
    list-style: none;
    margin: var(--sprout-space-1) 0 0;
    padding-inline-start: var(--sprout-space-3);
  }
  .card-components .card-name {
    font-weight: 500;
  }
  @container (max-width: 34rem) {
    .wide {
      display: none;
    }
    .cards {
      display: block;
    }
  }
  .scroller {
    overflow-x: auto;
    max-width: 100%;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  /* Every table sits under a visible heading with the same words (report title or date), so the caption is for
     screen readers only: it names the table without printing the heading twice. */
  caption {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: var(--sprout-space-2);
    border-block-end: 1px solid var(--sprout-color-border);
  }
  thead th {
    font-size: 0.875rem;
    color: var(--sprout-color-text-muted);
  }
  tbody th {
    font-weight: 500;
  }
  tr.component th {
    padding-inline-start: var(--sprout-space-6);
    font-weight: 400;
  }
  .value {
    white-space: nowrap;
  }
  tr.abnormal .value,
  tr.critical .value {
    font-weight: 700;
  }
  .flag {
    display: inline-flex;
    gap: var(--sprout-space-1);
    align-items: baseline;
    white-space: nowrap;
  }
  .flag.abnormal {
    color: var(--sprout-color-warning-text);
    font-weight: 600;
  }
  .flag.critical {
    color: var(--sprout-color-error-text);
    background: var(--sprout-color-error-bg);
    border: 2px solid currentColor;
    border-radius: var(--sprout-radius);
    padding: 0 var(--sprout-space-1);
    font-weight: 700;
  }
  .muted {
    color: var(--sprout-color-text-muted);
  }
  .trend {
    display: inline-block;
    margin-block-start: var(--sprout-space-1);
    padding: 0;
    border: 0;
    background: none;
    color: var(--sprout-color-link);
    font: inherit;
    font-size: 0.875rem;
    text-decoration: underline;
    cursor: pointer;
    min-height: 1.5rem;
  }
  .note {
    display: block;
    font-size: 0.875rem;
    color: var(--sprout-color-text-muted);
  }
  @media (max-width: 30rem) {
    th,
    td {
      padding: var(--sprout-space-1);
    }
  }
  @media print {
    .trend {
      display: none;
    }
    .wide {
      display: block;
    }
    .cards {
      display: none;
    }
    .scroller {
      overflow: visible;
    }
  }
`;
