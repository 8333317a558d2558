import { css } from 'lit';
import { recordSectionStyles } from '../record/record-section.styles.ts';

export const reportCardStyles = [
  recordSectionStyles,
  css`
    article.card {
      display: grid;
      gap: var(--sprout-space-2);
    }
    .conclusion {
      margin: 0;
      white-space: pre-line;
    }
  `,
];
