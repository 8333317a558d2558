import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const familyDashboardStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    h1 {
      margin: 0 0 var(--sprout-space-1);
      font-size: 1.75rem;
      line-height: 1.25;
    }
    .intro {
      margin: 0 0 var(--sprout-space-6);
      color: var(--sprout-color-text-muted);
    }
    ul.cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
      gap: var(--sprout-space-4);
      margin: 0;
      padding: 0;
      list-style: none;
    }
  `,
];
