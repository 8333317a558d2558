import { css } from 'lit';
import { recordSectionStyles } from './record-section.styles.ts';

export const recordResultsStyles = [
  recordSectionStyles,
  css`
    .reports {
      display: grid;
      gap: var(--sprout-space-3);
    }
    .charts {
      display: grid;
      gap: var(--sprout-space-6);
    }
    sprout-trend-chart {
      background: var(--sprout-color-surface);
      border: 1px solid var(--sprout-color-border);
      border-radius: var(--sprout-radius);
      padding: var(--sprout-space-3);
    }
  `,
];
