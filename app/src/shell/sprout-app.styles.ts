import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const appStyles = [
  sharedStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }
    .skip-link {
      position: absolute;
      top: var(--sprout-space-2);
      left: var(--sprout-space-2);
      z-index: 10;
      padding: var(--sprout-space-2) var(--sprout-space-4);
      border-radius: var(--sprout-radius);
      background: var(--sprout-color-surface);
      color: var(--sprout-color-link);
      font-weight: 600;
      transform: translateY(-200%);
    }
    .skip-link:focus {
      transform: none;
    }
    .test-mode {
      margin: 0;
      padding: var(--sprout-space-2) var(--sprout-space-4);
      border-bottom: 2px solid var(--sprout-color-warning-border);
      background: var(--sprout-color-warning-bg);
      color: var(--sprout-color-warning-text);
      font-weight: 600;
      text-align: center;
    }
    header {
      background: var(--sprout-color-brand);
      color: var(--sprout-color-on-brand);
    }
    .header-inner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sprout-space-3) var(--sprout-space-6);
      max-width: var(--sprout-max-width);
      margin: 0 auto;
      padding: var(--sprout-space-3) var(--sprout-space-4);
    }
    .brand {
      display: flex;
      align-items: center;
      gap: var(--sprout-space-2);
      margin-right: auto;
      color: inherit;
      text-decoration: none;
    }
    .brand img {
      width: 2rem;
      height: 2rem;
    }
    .brand-name {
      font-size: 1.375rem;
      font-weight: 700;
    }
    .hospital {
      font-size: 0.9375rem;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    header :focus-visible {
      outline-color: #ffffff;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sprout-space-4);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    nav a {
      color: inherit;
      font-weight: 600;
    }
    nav a[aria-current='page'] {
      text-decoration-thickness: 3px;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sprout-space-3);
    }
    .sign-out {
      border-color: var(--sprout-color-on-brand);
    }
    main {
      flex: 1;
      width: 100%;
      max-width: var(--sprout-max-width);
      margin: 0 auto;
      padding: var(--sprout-space-6) var(--sprout-space-4);
    }
    main:focus {
      outline: none;
    }
    footer {
      border-top: 1px solid var(--sprout-color-border);
      background: var(--sprout-color-surface);
    }
    footer p {
      max-width: var(--sprout-max-width);
      margin: 0 auto;
      padding: var(--sprout-space-2) var(--sprout-space-4);
      color: var(--sprout-color-text-muted);
    }
    footer p:first-child {
      padding-top: var(--sprout-space-4);
    }
    footer p:last-child {
      padding-bottom: var(--sprout-space-4);
    }
    h1 {
      margin: 0 0 var(--sprout-space-4);
      font-size: 1.75rem;
    }
    /* Wide screens: the language switch, account safety and sign-out stay on one line, however long the hospital's
       name (it wraps inside the brand instead). */
    @media (min-width: 40.0625rem) {
      .brand {
        min-width: 0;
        flex: 1 1 16rem;
      }
      .tools {
        flex-wrap: nowrap;
        flex: none;
      }
    }
    /* Phones: a compact header, so the page's heading is in view. */
    @media (max-width: 40rem) {
      .header-inner {
        gap: var(--sprout-space-2) var(--sprout-space-3);
        padding: var(--sprout-space-2) var(--sprout-space-3);
      }
      .brand img {
        width: 1.5rem;
        height: 1.5rem;
      }
      .brand-name {
        font-size: 1.125rem;
      }
      .hospital {
        font-size: 0.8125rem;
      }
      nav {
        flex: 1 1 100%;
        min-width: 0;
      }
      nav ul {
        gap: var(--sprout-space-2) var(--sprout-space-3);
      }
      /* The family switcher takes its own row, list and button side by side. */
      nav li:has(> sprout-family-switcher) {
        flex: 1 1 100%;
        min-width: 0;
      }
      .tools {
        gap: var(--sprout-space-2);
      }
      main {
        padding: var(--sprout-space-4) var(--sprout-space-3);
      }
    }
    @media print {
      .skip-link,
      nav,
      .tools,
      footer,
      sprout-idle-warning {
        display: none !important;
      }
      header {
        background: none;
        color: #000;
      }
      main {
        max-width: none;
        padding: 0;
      }
    }
  `,
];
