import { css } from 'lit';
import { recordSectionStyles } from './record-section.styles.ts';

export const recordPrintStyles = [
  recordSectionStyles,
  css`
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-2);
      margin-block-end: var(--sprout-space-4);
    }
    .doc {
      background: var(--sprout-color-surface);
      border: 1px solid var(--sprout-color-border);
      border-radius: var(--sprout-radius);
      padding: var(--sprout-space-4);
    }
    .doc + .doc {
      margin-block-start: var(--sprout-space-6);
    }
    .doc h2 {
      margin-block-start: 0;
    }
    .doc h3 {
      margin-block-start: var(--sprout-space-4);
    }
    .scroller {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: start;
      vertical-align: top;
      padding: var(--sprout-space-1) var(--sprout-space-2);
      border-block-end: 1px solid var(--sprout-color-border);
    }
    .identity {
      margin: 0 0 var(--sprout-space-3);
    }
    .form-note {
      margin: 0 0 var(--sprout-space-2);
      color: var(--sprout-color-text-muted);
      font-size: 0.875rem;
    }
    td.date {
      white-space: nowrap;
    }
    .clinic {
      margin-block: var(--sprout-space-4) 0;
    }
    .signature {
      display: flex;
      flex-wrap: wrap;
      gap: var(--sprout-space-4);
      margin-block-start: var(--sprout-space-6);
    }
    .signature p {
      margin: 0;
      flex: 1 1 16rem;
      font-size: 0.875rem;
    }
    .signature .short {
      max-width: 12rem;
    }
    .signature p:last-child {
      flex: 0 1 12rem;
    }
    .line {
      display: block;
      border-block-end: 1px solid currentColor;
      height: 2.5rem;
      margin-block-end: var(--sprout-space-1);
    }
    .write-in {
      margin-block-start: var(--sprout-space-3);
    }
    .write-in p {
      margin: 0;
      font-size: 0.875rem;
    }
    .write-in .line {
      height: 2rem;
    }
    .printed {
      margin-block-start: var(--sprout-space-4);
      color: var(--sprout-color-text-muted);
      font-size: 0.875rem;
    }
    @media print {
      .actions {
        display: none;
      }
      .doc {
        border: 0;
        padding: 0;
      }
      .scroller {
        overflow: visible;
      }
      th,
      td {
        border-color: #888;
      }
      tr {
        break-inside: avoid;
      }
      :host([printing='immunizations']) .doc-summary,
      :host([printing='immunizations']) .doc-emergency,
      :host([printing='summary']) .doc-immunizations,
      :host([printing='summary']) .doc-emergency,
      :host([printing='emergency']) .doc-summary,
      :host([printing='emergency']) .doc-immunizations {
        display: none;
      }
      .doc-emergency {
        font-size: 0.9rem;
      }
      .doc + .doc {
        break-before: page;
      }
    }
  `,
];
