import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const accountSafetyStyles = [
  sharedStyles,
  css`
    :host {
      display: inline-block;
    }
    .open-button {
      border-color: var(--sprout-color-on-brand);
    }
    dialog {
      max-width: min(32rem, calc(100vw - 2rem));
      padding: var(--sprout-space-6);
      border: 2px solid var(--sprout-color-border);
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
    .choices {
      margin: 0 0 var(--sprout-space-4);
      padding: 0;
      list-style: none;
    }
    .choices p {
      margin: var(--sprout-space-2) 0 var(--sprout-space-4);
      color: var(--sprout-color-text-muted);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-3);
    }
    .button.danger {
      background: var(--sprout-color-error-text);
      border-color: var(--sprout-color-error-text);
      color: #fff;
    }
    .error {
      padding: var(--sprout-space-2) var(--sprout-space-3);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-error-bg);
      color: var(--sprout-color-error-text);
    }
  `,
];
