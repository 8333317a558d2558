import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.ts';

export const messagesStyles = [
  sharedStyles,
  css`
    :host { display: block; max-width: 48rem; }
    h1 { margin-top: 0; }
    .toolbar { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2); align-items: flex-end; margin-bottom: var(--sprout-space-4); }
    .toolbar label { display: flex; flex-direction: column; gap: var(--sprout-space-1); flex: 1 1 10rem; font-weight: 600; }
    input, select, textarea { font: inherit; padding: var(--sprout-space-2); border: 1px solid var(--sprout-color-border, #767676); border-radius: var(--sprout-radius); max-width: 100%; }
    textarea { width: 100%; min-height: 8rem; }
    ul.threads { list-style: none; padding: 0; margin: 0; }
    ul.threads li { border-bottom: 1px solid var(--sprout-color-border, #d0d4d9); }
    ul.threads a { display: block; padding: var(--sprout-space-3) var(--sprout-space-1); text-decoration: none; color: inherit; }
    ul.threads a:hover .subject { text-decoration: underline; }
    .subject { font-weight: 600; color: var(--sprout-color-link); }
    .unread .subject::before { content: '● '; }
    .meta, .note { color: var(--sprout-color-muted, #4a4f57); font-size: 0.9rem; overflow-wrap: anywhere; }
    .preview { overflow-wrap: anywhere; }
    .badge { display: inline-block; border-radius: 999px; padding: 0 var(--sprout-space-2); font-size: 0.8rem; background: var(--sprout-color-brand); color: var(--sprout-color-on-brand); }
    article.message { border: 1px solid var(--sprout-color-border, #d0d4d9); border-radius: var(--sprout-radius); padding: var(--sprout-space-3); margin-bottom: var(--sprout-space-3); }
    article.message.mine { background: var(--sprout-color-surface-alt, #f3f6f9); }
    .body { white-space: pre-wrap; overflow-wrap: anywhere; }
    .warning { border-left: 4px solid #a4000f; background: #fde8ea; color: #1c1e21; padding: var(--sprout-space-3); margin-bottom: var(--sprout-space-4); }
    form label { display: block; font-weight: 600; margin-top: var(--sprout-space-3); }
    form select, form input[type='text'] { width: 100%; }
    .files { list-style: none; padding: 0; }
    .files li { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2); align-items: center; }
    .error { color: #a4000f; font-weight: 600; }
    progress { width: 100%; }
    .actions { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2); margin-top: var(--sprout-space-3); }
    fieldset.preference { margin-top: var(--sprout-space-5, 2rem); border: 1px solid var(--sprout-color-border, #d0d4d9); border-radius: var(--sprout-radius); }
    label.inline { display: flex; flex-wrap: wrap; gap: var(--sprout-space-2); align-items: center; margin: var(--sprout-space-2) 0; }
    .link-button { background: none; border: none; color: var(--sprout-color-link); text-decoration: underline; font: inherit; cursor: pointer; padding: var(--sprout-space-1); min-height: 2.75rem; }
  `,
];
