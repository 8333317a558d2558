import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const gatewayErrorStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    div {
      padding: var(--sprout-space-3) var(--sprout-space-4);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-error-bg);
      color: var(--sprout-color-error-text);
    }
    p {
      margin: 0;
    }
    p + p {
      margin-top: var(--sprout-space-2);
    }
  `,
];
