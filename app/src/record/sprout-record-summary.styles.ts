import { css } from 'lit';
import { recordSectionStyles } from './record-section.styles.ts';

export const recordSummaryStyles = [
  recordSectionStyles,
  css`
    .item-head {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-2);
      align-items: baseline;
      justify-content: space-between;
    }
    .charts {
      display: grid;
      gap: var(--sprout-space-6);
    }
  `,
];
