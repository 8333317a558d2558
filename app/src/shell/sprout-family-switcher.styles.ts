import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const familySwitcherStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sprout-space-2);
    }
    label {
      font-weight: 600;
    }
    select {
      min-height: 2.75rem;
      max-width: 100%;
      padding: var(--sprout-space-1) var(--sprout-space-2);
      border: 2px solid var(--sprout-color-border);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-surface);
      color: var(--sprout-color-text);
      font: inherit;
    }
    .button {
      min-height: 2.75rem;
    }
    @media print {
      :host {
        display: none;
      }
    }
  `,
];
