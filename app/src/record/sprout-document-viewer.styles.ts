import { css } from 'lit';
import { recordSectionStyles } from './record-section.styles.ts';

export const documentViewerStyles = [
  recordSectionStyles,
  css`
    .viewer {
      background: var(--sprout-color-surface);
      border: 1px solid var(--sprout-color-border);
      border-radius: var(--sprout-radius);
      padding: var(--sprout-space-4);
      overflow-wrap: anywhere;
    }
    .link-button {
      padding: 0;
      border: 0;
      background: none;
      color: var(--sprout-color-link);
      font: inherit;
      text-decoration: underline;
      cursor: pointer;
      min-height: 1.5rem;
    }
    .doc-header h2 {
      margin-block-start: 0;
    }
    .doc-facts {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-2) var(--sprout-space-6);
      margin: 0 0 var(--sprout-space-4);
      padding-block-end: var(--sprout-space-3);
      border-block-end: 1px solid var(--sprout-color-border);
    }
    .doc-facts dt {
      font-size: 0.875rem;
      color: var(--sprout-color-text-muted);
    }
    .doc-facts dd {
      margin: 0;
      font-weight: 600;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-2);
    }
    .doc-text {
      white-space: pre-wrap;
      font-family: inherit;
      line-height: 1.6;
    }
    .doc-body img {
      max-width: 100%;
      height: auto;
    }
    .muted {
      color: var(--sprout-color-text-muted);
    }
    @media print {
      .viewer {
        border: 0;
        padding: 0;
      }
    }
  `,
];
