import { css } from 'lit';

export const restrictedNoticeStyles = css`
  :host {
    display: block;
  }
  section {
    border: 2px solid var(--sprout-color-warning-border);
    border-radius: var(--sprout-radius);
    background: var(--sprout-color-surface);
    padding: var(--sprout-space-4);
  }
  :host([level='none']) section {
    border-color: var(--sprout-color-border);
  }
  h2 {
    margin: 0 0 var(--sprout-space-2);
    font-size: 1.25rem;
  }
  h3 {
    margin: var(--sprout-space-4) 0 var(--sprout-space-1);
    font-size: 1rem;
  }
  p {
    margin: 0 0 var(--sprout-space-2);
  }
  ul {
    margin: 0;
    padding-inline-start: var(--sprout-space-6);
  }
  .next-change {
    font-weight: 600;
  }
  a[href^='tel:'] {
    white-space: nowrap;
  }
`;
