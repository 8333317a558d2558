/**
 * Locale-aware formatting with Intl. Dates that are instants are shown in the hospital's time zone
 * (SessionView.profile.timeZone), never the device's, so a family abroad sees the hospital's calendar day.
 * Calendar dates (YYYY-MM-DD: birth dates, "access changes on") are formatted as dates, never shifted by a zone.
 * All functions are total: unusable input gives '' (never a throw, never "Invalid Date").
 */
import type { Age, AgeUnit } from './age.ts';
import { parseCalendarDate } from './age.ts';
import type { AppLocale } from './locales.ts';

/** Today's calendar date (YYYY-MM-DD) in the given IANA time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: safeZone(timeZone), year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "March 4, 2027" / "4 de marzo de 2027". Partial dates show what they have ("May 2014", "2014"). */
export function formatCalendarDate(localDate: string | undefined, locale: AppLocale, style: 'long' | 'medium' = 'long'): string {
  if (localDate === undefined) return '';
  const full = parseCalendarDate(localDate);
  if (full) {
    return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(Date.UTC(full.year, full.month - 1, full.day));
  }
  const partial = /^(\d{4})(?:-(\d{2}))?$/.exec(localDate);
  if (!partial) return '';
  const year = Number(partial[1]);
  if (partial[2] === undefined) return new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, 0, 1));
  const month = Number(partial[2]);
  if (month < 1 || month > 12) return '';
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
}

/** An instant (ISO 8601 or epoch ms) as a date and time in the hospital's zone. */
export function formatDateTime(
  instant: string | number | Date | undefined,
  locale: AppLocale,
  timeZone: string,
  options: { dateStyle?: 'long' | 'medium' | 'short'; timeStyle?: 'short' | 'medium' } = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  const date = toDate(instant);
  if (!date) return '';
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: safeZone(timeZone) }).format(date);
}

/** An instant's time of day ("3:05 PM" / "15:05") in the hospital's zone. */
export function formatTime(instant: string | number | Date | undefined, locale: AppLocale, timeZone: string): string {
  return formatDateTime(instant, locale, timeZone, { timeStyle: 'short' });
}

export function formatNumber(value: number | undefined, locale: AppLocale, options: Intl.NumberFormatOptions = {}): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return new Intl.NumberFormat(locale, options).format(value);
}

/**
 * UCUM codes that Intl can spell out in the reader's language (ECMA-402 sanctioned units). Others are shown
 * as "value unit" with the unit as the source wrote it.
 */
const UCUM_TO_INTL_UNIT: Readonly<Record<string, string>> = {
  kg: 'kilogram',
  g: 'gram',
  cm: 'centimeter',
  mm: 'millimeter',
  m: 'meter',
  '[lb_av]': 'pound',
  '[oz_av]': 'ounce',
  '[in_i]': 'inch',
  Cel: 'celsius',
  '[degF]': 'fahrenheit',
  '%': 'percent',
  L: 'liter',
  mL: 'milliliter',
  h: 'hour',
  min: 'minute',
  d: 'day',
  wk: 'week',
  mo: 'month',
  a: 'year',
};

/** A measured quantity: "12.5 kg" / "12,5 kg"; unknown units keep the source text. */
export function formatQuantity(
  quantity: { readonly value?: number; readonly unit?: string; readonly code?: string },
  locale: AppLocale,
  options: Intl.NumberFormatOptions = { maximumFractionDigits: 2 },
): string {
  const { value } = quantity;
  if (value === undefined || !Number.isFinite(value)) return '';
  const intlUnit = UCUM_TO_INTL_UNIT[quantity.code ?? ''] ?? UCUM_TO_INTL_UNIT[quantity.unit ?? ''];
  if (intlUnit) return new Intl.NumberFormat(locale, { ...options, style: 'unit', unit: intlUnit, unitDisplay: 'short' }).format(value);
  const number = new Intl.NumberFormat(locale, options).format(value);
  const unit = quantity.unit ?? quantity.code ?? '';
  return unit === '' ? number : `${number} ${unit}`;
}

/** "3 days", "5 months", "7 years" / "3 días", "5 meses", "7 años" (plural rules from Intl). */
export function formatAge(age: Age | undefined, locale: AppLocale): string {
  if (age === undefined || !Number.isFinite(age.value) || age.value < 0) return '';
  const unit: AgeUnit = age.unit;
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 }).format(age.value);
}

/** The formatting helpers bound to one locale and time zone; provided to elements as `formatContext`. */
export interface Formatters {
  readonly locale: AppLocale;
  readonly timeZone: string;
  calendarDate(localDate: string | undefined, style?: 'long' | 'medium'): string;
  dateTime(instant: string | number | Date | undefined): string;
  time(instant: string | number | Date | undefined): string;
  number(value: number | undefined, options?: Intl.NumberFormatOptions): string;
  quantity(quantity: { readonly value?: number; readonly unit?: string; readonly code?: string }): string;
  age(age: Age | undefined): string;
  today(now?: Date): string;
}

export function createFormatters(locale: AppLocale, timeZone: string): Formatters {
  return {
    locale,
    timeZone,
    calendarDate: (localDate, style) => formatCalendarDate(localDate, locale, style),
    dateTime: (instant) => formatDateTime(instant, locale, timeZone),
    time: (instant) => formatTime(instant, locale, timeZone),
    number: (value, options) => formatNumber(value, locale, options),
    quantity: (quantity) => formatQuantity(quantity, locale),
    age: (age) => formatAge(age, locale),
    today: (now) => todayIn(timeZone, now),
  };
}

function toDate(instant: string | number | Date | undefined): Date | undefined {
  if (instant === undefined) return undefined;
  const date = instant instanceof Date ? instant : new Date(instant);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An invalid zone from configuration must not crash rendering; the hospital default is Los Angeles. */
function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'America/Los_Angeles';
  }
}
