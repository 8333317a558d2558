/**
 * Localized words for view-model values shared by the record components: labels, interpretation flags, statuses,
 * dates with their precision, quantities and reference ranges. Every user-visible word goes through msg() here,
 * so a component only composes them. Functions are total: unknown input gives a localized "Unknown" or ''.
 */
import { msg, str } from '@lit/localize';
import {
  plainTestName,
  plainUnit,
  type CodingView,
  type DateValue,
  type InterpretationFlag,
  type Label,
  type PeriodValue,
  type QuantityValue,
  type ReferenceRangeView,
  type ResultValue,
} from '../../../fhir-mappings/src/index.ts';
import type { Formatters } from '../i18n/format.ts';

export function labelText(label: Label | undefined): string {
  if (label?.kind === 'text') return label.text;
  return msg('Unknown', { id: 'record.unknown', desc: 'A value the record does not name' });
}

/** A date as precise as the EHR wrote it: an instant in the hospital's zone, a day, a month or a year. */
export function formatDateValue(date: DateValue | undefined, format: Formatters): string {
  if (date === undefined) return '';
  if (date.precision === 'time') return format.dateTime(date.iso);
  return format.calendarDate(date.iso.slice(0, date.precision === 'day' ? 10 : date.precision === 'month' ? 7 : 4), 'medium');
}

/** The calendar day of a DateValue for grouping and chart axes (instants converted to the hospital's zone). */
export function formatDateOnly(date: DateValue | undefined, format: Formatters): string {
  if (date === undefined) return '';
  if (date.precision === 'time') return format.calendarDate(format.today(new Date(date.iso)), 'medium');
  return formatDateValue(date, format);
}

/** A test's plain name (reviewed consumer name, the EHR's own text, or the shortest display) and its formal name. */
export function testNames(label: Label, codes: readonly CodingView[], format: Formatters): { plain: string; formal?: string } {
  const names = plainTestName(label, codes, format.locale);
  const plain = names.plain ?? labelText(undefined);
  return names.formal === undefined ? { plain } : { plain, formal: names.formal };
}

/** The codes to look a test up by when only its LOINC code is known (result components, trend series). */
export function loincCodes(loinc: string | undefined): CodingView[] {
  return loinc === undefined ? [] : [{ system: 'http://loinc.org', code: loinc }];
}

/** A unit in plain words for the reader ("10*3/uL" → "thousand per µL"); '' when there is none. */
export function plainUnitText(unit: string | undefined, format: Formatters): string {
  return plainUnit(unit, format.locale) ?? '';
}

/** "16.2 thousand per µL": the value with its unit in plain words (units Intl knows are spelled by Intl). */
/**
 * A period with one date when it fits in one day: "Mar 3, 2026, 9:00 – 9:40 AM" (times in the hospital's zone), or
 * "Mar 3, 2026" for a day-precise single day; several days show dates only ("Apr 20 – Apr 22, 2026" style).
 */
export function formatPeriodValue(period: PeriodValue, format: Formatters): string {
  const { start, end } = period;
  if (start === undefined) return end === undefined ? '' : formatDateValue(end, format);
  if (end === undefined) return formatDateValue(start, format);
  const startDay = formatDateOnly(start, format);
  const endDay = formatDateOnly(end, format);
  if (startDay === endDay) {
    if (start.precision === 'time' && end.precision === 'time') {
      const from = Date.parse(start.iso);
      const to = Date.parse(end.iso);
      if (Number.isFinite(from) && Number.isFinite(to) && to >= from) {
        try {
          return new Intl.DateTimeFormat(format.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: format.timeZone }).formatRange(from, to);
        } catch {
          return formatDateValue(start, format);
        }
      }
    }
    return formatDateValue(start, format);
  }
  return startDay !== '' && endDay !== '' ? `${startDay} – ${endDay}` : startDay || endDay;
}

export function formatQuantityValue(quantity: QuantityValue | undefined, format: Formatters): string {
  if (quantity === undefined) return '';
  const unit = plainUnit(quantity.ucum ?? quantity.unit, format.locale);
  const text = format.quantity({ value: quantity.value, ...(unit !== undefined && { unit }), ...(quantity.ucum !== undefined && { code: quantity.ucum }) });
  return quantity.comparator ? `${quantity.comparator} ${text}` : text;
}

/** A result value as text ("5.2 mmol/L", "Positive", "Yes"), or '' when there is none. */
export function formatResultValue(value: ResultValue | undefined, format: Formatters): string {
  if (value === undefined) return '';
  switch (value.kind) {
    case 'quantity':
      return formatQuantityValue(value.quantity, format);
    case 'coded':
      return labelText(value.label);
    case 'text':
      return value.text;
    case 'boolean':
      return value.value ? msg('Yes', { id: 'record.yes' }) : msg('No', { id: 'record.no' });
    case 'integer':
      return format.number(value.value);
    case 'range':
      return formatRangeBounds(value.range.low, value.range.high, format);
    case 'ratio':
      return [formatQuantityValue(value.numerator, format), formatQuantityValue(value.denominator, format)].filter((s) => s !== '').join(' / ');
    case 'datetime':
      return formatDateValue(value.date, format);
    case 'period':
      return [formatDateValue(value.period.start, format), formatDateValue(value.period.end, format)].filter((s) => s !== '').join(' – ');
    case 'absent':
      return msg(str`No value (${labelText(value.reason)})`, { id: 'record.value-absent', desc: 'A test with no value; the reason follows' });
    default:
      return '';
  }
}

function formatRangeBounds(low: QuantityValue | undefined, high: QuantityValue | undefined, format: Formatters): string {
  const highText = formatQuantityValue(high, format);
  // Same unit at both ends: say it once ("3.5 – 5 mmol/L"), as lab reports do.
  const sameUnit = low !== undefined && high !== undefined && low.comparator === undefined && (low.ucum ?? low.unit) === (high.ucum ?? high.unit);
  const lowText = sameUnit ? format.number(low.value) : formatQuantityValue(low, format);
  if (lowText !== '' && highText !== '') return `${lowText} – ${highText}`;
  if (lowText !== '') return msg(str`${lowText} or more`, { id: 'record.range-at-least' });
  if (highText !== '') return msg(str`up to ${highText}`, { id: 'record.range-at-most' });
  return '';
}

/** The first reference range as text ("3.5 – 5.0 mmol/L"), its free text when it has no numbers, or ''. */
export function formatReferenceRange(ranges: readonly ReferenceRangeView[], format: Formatters): string {
  const range = ranges[0];
  if (range === undefined) return '';
  const bounds = formatRangeBounds(range.low, range.high, format);
  return bounds !== '' ? bounds : (range.text ?? '');
}

export type FlagSeverity = 'normal' | 'abnormal' | 'critical';

/** How loud a flag is: criticals get the strongest treatment (icon, bold, words), abnormal ones a marker too. */
export function flagSeverity(flag: InterpretationFlag | undefined): FlagSeverity {
  if (flag === 'critical-high' || flag === 'critical-low') return 'critical';
  if (flag === 'high' || flag === 'low' || flag === 'abnormal') return 'abnormal';
  return 'normal';
}

/** The words for a flag. Shown as text next to the value, so the meaning never rests on colour. */
export function flagText(flag: InterpretationFlag | undefined): string {
  switch (flag) {
    case 'high':
      return msg('High', { id: 'record.flag-high', desc: 'Lab result above the reference range' });
    case 'low':
      return msg('Low', { id: 'record.flag-low', desc: 'Lab result below the reference range' });
    case 'critical-high':
      return msg('Critically high', { id: 'record.flag-critical-high' });
    case 'critical-low':
      return msg('Critically low', { id: 'record.flag-critical-low' });
    case 'abnormal':
      return msg('Abnormal', { id: 'record.flag-abnormal' });
    case 'normal':
      return msg('Normal', { id: 'record.flag-normal' });
    default:
      return '';
  }
}

/** A symbol that carries the direction without colour: ▲ high, ▼ low, ! abnormal; criticals doubled. */
export function flagSymbol(flag: InterpretationFlag | undefined): string {
  switch (flag) {
    case 'high':
      return '▲';
    case 'low':
      return '▼';
    case 'critical-high':
      return '‼▲';
    case 'critical-low':
      return '‼▼';
    case 'abnormal':
      return '!';
    default:
      return '';
  }
}

/** "60th percentile" / "percentil 60" (rounded, kept within 1–99 as growth charts print them); '' when undefined. */
export function percentileText(percentile: number | undefined, format: Formatters): string {
  if (percentile === undefined || !Number.isFinite(percentile)) return '';
  const n = Math.min(99, Math.max(1, Math.round(percentile)));
  let ordinal = format.number(n);
  if (format.locale === 'en') {
    const suffix = { one: 'st', two: 'nd', few: 'rd', other: 'th', zero: 'th', many: 'th' }[new Intl.PluralRules('en', { type: 'ordinal' }).select(n)];
    ordinal = `${n}${suffix}`;
  }
  return msg(str`${ordinal} percentile`, { id: 'record.percentile', desc: 'Growth chart percentile; the number is already an ordinal in English' });
}
