/**
 * CSS shared by Sprout elements: box sizing, focus ring, buttons, links, visually-hidden text, print basics.
 * Include first in an element's `static styles = [sharedStyles, css`…`]`.
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--sprout-focus-ring);
    outline-offset: 2px;
  }
  a {
    color: var(--sprout-color-link);
    text-underline-offset: 0.15em;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 2.75rem;
    padding: var(--sprout-space-2) var(--sprout-space-4);
    border: 2px solid var(--sprout-color-brand);
    border-radius: var(--sprout-radius);
    background: var(--sprout-color-brand);
    color: var(--sprout-color-on-brand);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  .button:hover {
    background: var(--sprout-color-brand-dark);
    border-color: var(--sprout-color-brand-dark);
  }
  .button.secondary {
    background: var(--sprout-color-surface);
    color: var(--sprout-color-brand-dark);
  }
  .button.secondary:hover {
    background: var(--sprout-color-full-bg);
  }
  .button[disabled] {
    cursor: progress;
    opacity: 0.8;
  }
  @media print {
    .no-print {
      display: none !important;
    }
  }
`;
