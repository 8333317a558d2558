import { css } from 'lit';
import { recordSectionStyles } from './record-section.styles.ts';

export const recordDocumentsStyles = [
  recordSectionStyles,
  css`
    ul.files {
      list-style: none;
      margin: var(--sprout-space-2) 0 0;
      padding: 0;
      display: grid;
      gap: var(--sprout-space-2);
    }
    ul.files li {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-2);
    }
    .muted {
      color: var(--sprout-color-text-muted);
    }
  `,
];
