import { css } from 'lit';

export const trendChartStyles = css`
  :host {
    display: block;
  }
  figure {
    margin: 0;
  }
  h3 {
    margin: 0 0 var(--sprout-space-2);
    font-size: 1rem;
  }
  .summary {
    margin: 0 0 var(--sprout-space-2);
    color: var(--sprout-color-text-muted);
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
    max-height: 18rem;
    font-family: inherit;
  }
  .frame {
    fill: none;
    stroke: var(--sprout-color-border);
  }
  .band {
    fill: var(--sprout-color-full-bg);
  }
  .grid {
    stroke: var(--sprout-color-border);
    stroke-dasharray: 2 4;
  }
  .axis-label {
    fill: var(--sprout-color-text-muted);
    font-size: 12px;
  }
  .curve {
    fill: none;
    stroke: var(--sprout-color-text-muted);
    stroke-width: 1.25;
    stroke-dasharray: 6 4;
  }
  .curve-label {
    fill: var(--sprout-color-text-muted);
    font-size: 11px;
  }
  .swatch.curve {
    display: inline-block;
    width: 1.5rem;
    height: 0;
    border-block-start: 2px dashed var(--sprout-color-text-muted);
    vertical-align: middle;
    margin-inline-end: var(--sprout-space-1);
  }
  .line {
    fill: none;
    stroke: var(--sprout-color-brand);
    stroke-width: 2.5;
  }
  .point {
    fill: var(--sprout-color-surface);
    stroke: var(--sprout-color-brand-dark);
    stroke-width: 2.5;
  }
  .point.flagged {
    fill: var(--sprout-color-error-text);
    stroke: var(--sprout-color-error-text);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-4);
    margin: var(--sprout-space-2) 0;
    font-size: 0.875rem;
    color: var(--sprout-color-text-muted);
  }
  .swatch {
    display: inline-block;
    width: 1rem;
    height: 0.75rem;
    margin-inline-end: var(--sprout-space-1);
    vertical-align: middle;
    border: 1px solid var(--sprout-color-border);
  }
  .swatch.band {
    background: var(--sprout-color-full-bg);
  }
  details summary {
    cursor: pointer;
    min-height: 2.75rem;
    display: flex;
    align-items: center;
    color: var(--sprout-color-link);
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: start;
    padding: var(--sprout-space-1) var(--sprout-space-3);
    border-block-end: 1px solid var(--sprout-color-border);
  }
  @media print {
    details {
      display: none;
    }
  }
`;
