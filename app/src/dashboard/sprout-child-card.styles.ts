import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const childCardStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    article {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: var(--sprout-space-2) var(--sprout-space-4);
      height: 100%;
      padding: var(--sprout-space-4);
      background: var(--sprout-color-surface);
      border: 1px solid var(--sprout-color-border);
      border-radius: var(--sprout-radius);
    }
    .avatar {
      display: grid;
      place-items: center;
      width: 3rem;
      height: 3rem;
      border-radius: 50%;
      /* Decorative: lightness keeps the dark initials above 4.5:1 whatever the hue. */
      background: hsl(var(--avatar-hue, 140) 45% 85%);
      color: #1b1f23;
      font-weight: 700;
      font-size: 1.125rem;
    }
    .heading {
      align-self: center;
    }
    h2 {
      margin: 0;
      font-size: 1.25rem;
      line-height: 1.3;
    }
    .meta {
      margin: 0;
      color: var(--sprout-color-text-muted);
    }
    .body {
      grid-column: 1 / -1;
    }
    .body p,
    .body ul {
      margin: var(--sprout-space-2) 0 0;
    }
    .status {
      display: inline-block;
      margin: 0;
      padding: var(--sprout-space-1) var(--sprout-space-2);
      border-radius: var(--sprout-radius);
      font-weight: 600;
    }
    .status.full {
      background: var(--sprout-color-full-bg);
      color: var(--sprout-color-full-text);
    }
    .status.allow-listed {
      background: var(--sprout-color-partial-bg);
      color: var(--sprout-color-partial-text);
    }
    .status.none {
      background: var(--sprout-color-none-bg);
      color: var(--sprout-color-none-text);
    }
    .next-change {
      font-weight: 600;
    }
    .open-record {
      margin-top: var(--sprout-space-3);
    }
    .handover {
      margin-top: var(--sprout-space-3);
      padding: var(--sprout-space-3);
      border-inline-start: 4px solid var(--sprout-color-partial-text);
      background: var(--sprout-color-partial-bg);
    }
    .handover h3 {
      margin: 0 0 var(--sprout-space-2);
      font-size: 1rem;
    }
    .handover p {
      margin: 0 0 var(--sprout-space-2);
    }
  `,
];
