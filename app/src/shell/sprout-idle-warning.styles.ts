import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const idleWarningStyles = [
  sharedStyles,
  css`
    dialog {
      max-width: min(30rem, calc(100vw - 2rem));
      padding: var(--sprout-space-6);
      border: 2px solid var(--sprout-color-warning-border);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-surface);
      color: var(--sprout-color-text);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.5);
    }
    h2 {
      margin: 0 0 var(--sprout-space-3);
      font-size: 1.375rem;
    }
    p {
      margin: 0 0 var(--sprout-space-4);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-3);
    }
    .error {
      padding: var(--sprout-space-2) var(--sprout-space-3);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-error-bg);
      color: var(--sprout-color-error-text);
    }
  `,
];
