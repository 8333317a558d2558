import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const signedOutPageStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      max-width: 40rem;
    }
    h1 {
      margin: 0 0 var(--sprout-space-4);
      font-size: 1.75rem;
      line-height: 1.25;
    }
    p {
      margin: 0 0 var(--sprout-space-4);
    }
    .notice {
      padding: var(--sprout-space-3) var(--sprout-space-4);
      border-left: 4px solid var(--sprout-color-brand);
      background: var(--sprout-color-surface);
    }
    .notice:empty {
      display: none;
    }
    .sign-in {
      font-size: 1.125rem;
    }
  `,
];
