import { css } from 'lit';

export const patientBannerStyles = css`
  :host {
    display: block;
  }
  .banner {
    display: flex;
    gap: var(--sprout-space-4);
    align-items: center;
    padding: var(--sprout-space-4);
    background: var(--sprout-color-surface);
    border: 1px solid var(--sprout-color-border);
    border-radius: var(--sprout-radius);
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 3rem;
    height: 3rem;
    border-radius: 50%;
    background: var(--sprout-color-full-bg);
    color: var(--sprout-color-full-text);
    font-weight: 700;
  }
  h1 {
    margin: 0;
    font-size: 1.5rem;
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  dl {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-1) var(--sprout-space-4);
    margin: var(--sprout-space-1) 0 0;
  }
  dl div {
    display: flex;
    gap: var(--sprout-space-1);
  }
  dt {
    color: var(--sprout-color-text-muted);
  }
  dd {
    margin: 0;
    font-weight: 600;
  }
  @media print {
    .banner {
      border: 0;
      padding: 0;
    }
    .avatar {
      display: none;
    }
  }
`;
