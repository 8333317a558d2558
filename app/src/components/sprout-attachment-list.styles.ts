import { css } from 'lit';

export const attachmentListStyles = css`
  :host {
    display: block;
  }
  ul {
    list-style: none;
    margin: var(--sprout-space-2) 0 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-2);
  }
  .unavailable {
    color: var(--sprout-color-text-muted);
  }
  .error {
    color: var(--sprout-color-error-text);
  }
  @media print {
    :host {
      display: none;
    }
  }
`;
