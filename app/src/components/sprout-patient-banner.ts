/**
 * <sprout-patient-banner>: who this record is about — name (the page's h1), age read the pediatric way (days,
 * months, years; "3 years 4 months" for the young), date of birth, sex and MRN exactly as the EHR gives it.
 * Property: `banner` (PatientBanner view model). Missing facts are left out, never shown as blanks.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Age, AdministrativeGender, PatientBanner } from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { formatDateValue, labelText } from './record-labels.ts';
import { patientBannerStyles } from './sprout-patient-banner.styles.ts';

/** "7 months", "3 years, 4 months", "12 days" in the reader's language. */
export function formatPediatricAge(age: Age | undefined, format: Formatters): string {
  if (!age) return '';
  const unit = age.unit === 'days' ? 'day' : age.unit === 'months' ? 'month' : 'year';
  const main = format.age({ value: age.value, unit });
  if (age.unit !== 'years' || !age.withMonths || age.months === 0) return main;
  return `${main}, ${format.age({ value: age.months, unit: 'month' })}`;
}

export function sexLabel(sex: AdministrativeGender | undefined): string {
  switch (sex) {
    case 'male':
      return msg('Male', { id: 'banner.sex-male' });
    case 'female':
      return msg('Female', { id: 'banner.sex-female' });
    case 'other':
      return msg('Other', { id: 'banner.sex-other' });
    case 'unknown':
      return msg('Unknown', { id: 'banner.sex-unknown' });
    default:
      return '';
  }
}

@localized()
@customElement('sprout-patient-banner')
export class SproutPatientBanner extends LitElement {
  static override styles = [sharedStyles, patientBannerStyles];

  @property({ attribute: false }) banner?: PatientBanner;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  override render(): TemplateResult | typeof nothing {
    const banner = this.banner;
    if (!banner) return nothing;
    const format = this.format ?? fallbackFormatters();
    const facts: Array<[string, string]> = [
      [msg('Age', { id: 'banner.age' }), formatPediatricAge(banner.age, format)],
      [msg('Born', { id: 'banner.born', desc: 'Label before the date of birth' }), formatDateValue(banner.birthDate, format)],
      [msg('Sex', { id: 'banner.sex' }), sexLabel(banner.sex)],
      [msg('MRN', { id: 'banner.mrn', desc: 'Medical record number, abbreviated' }), banner.mrn?.value ?? ''],
    ];
    return html`
      <header class="banner" data-testid="patient-banner">
        <span class="avatar" aria-hidden="true">${banner.initials}</span>
        <div>
          <h1>${labelText(banner.name)}</h1>
          <dl>
            ${facts
              .filter(([, value]) => value !== '')
              .map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}
          </dl>
        </div>
      </header>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-patient-banner': SproutPatientBanner;
  }
}
