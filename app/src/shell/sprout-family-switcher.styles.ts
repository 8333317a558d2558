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
    /* On phones the list and its button share one row; the label stays for screen readers (it names the list). */
    @media (max-width: 40rem) {
      form {
        flex-wrap: nowrap;
      }
      label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      select {
        width: 0;
        min-width: 0;
        flex: 1 1 auto;
      }
    }
    @media print {
      :host {
        display: none;
      }
    }
  `,
];
