/** When a health issue or allergy started, as text: a date, an age, a period start, or the EHR's words. Total. */
import { msg, str } from '@lit/localize';
import type { OnsetValue } from '../../../fhir-mappings/src/index.ts';
import { formatDateValue, formatQuantityValue } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';

export function onsetText(onset: OnsetValue | undefined, format: Formatters): string {
  if (!onset) return '';
  switch (onset.kind) {
    case 'date':
      return formatDateValue(onset.date, format);
    case 'age':
      return msg(str`age ${formatQuantityValue(onset.age, format)}`, { id: 'record.onset-age' });
    case 'period':
      return formatDateValue(onset.period.start, format);
    case 'range':
      return formatQuantityValue(onset.range.low, format);
    case 'text':
      return onset.text;
    default:
      return '';
  }
}
