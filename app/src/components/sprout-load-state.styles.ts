import { css } from 'lit';

export const loadStateStyles = css`
  :host {
    display: block;
  }
  .box {
    padding: var(--sprout-space-4);
    border-radius: var(--sprout-radius);
    background: var(--sprout-color-surface);
    border: 1px solid var(--sprout-color-border);
  }
  .error {
    background: var(--sprout-color-error-bg);
    color: var(--sprout-color-error-text);
    border-color: currentColor;
  }
  p {
    margin: 0 0 var(--sprout-space-2);
  }
  .loading {
    display: flex;
    gap: var(--sprout-space-2);
    align-items: center;
    color: var(--sprout-color-text-muted);
  }
  .spinner {
    width: 1.25rem;
    height: 1.25rem;
    border: 3px solid var(--sprout-color-border);
    border-top-color: var(--sprout-color-brand);
    border-radius: 50%;
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  .empty {
    color: var(--sprout-color-text-muted);
  }
`;
