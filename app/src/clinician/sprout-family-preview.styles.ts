import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const familyPreviewStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    .intro {
      max-width: 70ch;
    }
    section {
      border: 1px solid var(--sprout-border, #c9d3cc);
      border-radius: 0.5rem;
      padding: 1rem;
      margin-block: 1rem;
    }
    .who {
      font-weight: normal;
    }
    dl {
      display: grid;
      grid-template-columns: minmax(8rem, max-content) 1fr;
      gap: 0.25rem 1rem;
      margin: 0;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .basis {
      margin: 0.25rem 0 0;
      padding-inline-start: 1.25rem;
    }
    .changes {
      padding-inline-start: 1.25rem;
    }
    .change-date {
      font-weight: 600;
      margin-block: 0.5rem 0.25rem;
    }
    @media (max-width: 40rem) {
      dl {
        grid-template-columns: 1fr;
      }
      dd {
        margin-block-end: 0.5rem;
      }
    }
  `,
];
