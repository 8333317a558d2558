import { css } from 'lit';

export const patientRecordStyles = css`
  :host {
    display: block;
    max-width: var(--sprout-max-width);
    margin: 0 auto;
    padding: var(--sprout-space-4);
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 var(--sprout-space-4);
  }
  nav {
    margin: var(--sprout-space-4) 0;
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--sprout-space-2);
  }
  nav a {
    display: inline-flex;
    align-items: center;
    min-height: 2.75rem;
    padding: var(--sprout-space-1) var(--sprout-space-3);
    border: 1px solid var(--sprout-color-border);
    border-radius: var(--sprout-radius);
    background: var(--sprout-color-surface);
    text-decoration: none;
  }
  nav a[aria-current='page'] {
    background: var(--sprout-color-brand);
    border-color: var(--sprout-color-brand);
    color: var(--sprout-color-on-brand);
    font-weight: 700;
  }
  sprout-restricted-notice {
    margin: var(--sprout-space-4) 0;
  }
  .back {
    display: inline-block;
    margin-block-end: var(--sprout-space-3);
  }
  @media (max-width: 30rem) {
    :host {
      padding: var(--sprout-space-2);
    }
    nav a {
      padding: var(--sprout-space-1) var(--sprout-space-2);
    }
  }
  @media print {
    :host {
      padding: 0;
      max-width: none;
    }
    nav,
    .back,
    sprout-restricted-notice {
      display: none;
    }
    :host([section='print']) sprout-patient-banner {
      display: none;
    }
  }
`;
