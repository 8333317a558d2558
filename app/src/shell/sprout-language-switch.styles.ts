import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const languageSwitchStyles = [
  sharedStyles,
  css`
    :host {
      display: inline-block;
    }
    [role='group'] {
      display: inline-flex;
      gap: var(--sprout-space-1);
    }
    button {
      min-height: 2.75rem;
      min-width: 2.75rem;
      padding: var(--sprout-space-1) var(--sprout-space-3);
      border: 2px solid currentColor;
      border-radius: var(--sprout-radius);
      background: transparent;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--sprout-color-surface);
      color: var(--sprout-color-brand-dark);
      font-weight: 700;
    }
    @media print {
      :host {
        display: none;
      }
    }
  `,
];
