/**
 * English / Español, on every screen. Each language is named in itself (and marked with its `lang`), so a
 * family who can't read the current language can still find theirs. Fires `sprout-locale-change` (user action);
 * the shell performs the switch.
 */
import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppLocale } from '../i18n/locales.ts';
import { localeContext } from './contexts.ts';
import { languageSwitchStyles } from './sprout-language-switch.styles.ts';

export interface LocaleChangeDetail {
  readonly locale: AppLocale;
}

/** Language names in their own language; deliberately not translated. */
const LANGUAGE_NAMES: ReadonlyArray<{ readonly locale: AppLocale; readonly name: string }> = [
  { locale: 'en', name: 'English' },
  { locale: 'es', name: 'Español' },
];

@localized()
@customElement('sprout-language-switch')
export class SproutLanguageSwitch extends LitElement {
  static override styles = languageSwitchStyles;

  @consume({ context: localeContext, subscribe: true })
  @property({ attribute: false })
  locale: AppLocale = 'en';

  override render() {
    return html`
      <div role="group" aria-label=${msg('Language', { id: 'lang.label' })}>
        ${LANGUAGE_NAMES.map(
          ({ locale, name }) => html`
            <button type="button" lang=${locale} aria-pressed=${this.locale === locale ? 'true' : 'false'} @click=${() => this.choose(locale)}>
              ${name}
            </button>
          `,
        )}
      </div>
    `;
  }

  private choose(locale: AppLocale): void {
    if (locale === this.locale) return;
    this.dispatchEvent(new CustomEvent<LocaleChangeDetail>('sprout-locale-change', { detail: { locale }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-language-switch': SproutLanguageSwitch;
  }
  interface HTMLElementEventMap {
    'sprout-locale-change': CustomEvent<LocaleChangeDetail>;
  }
}
