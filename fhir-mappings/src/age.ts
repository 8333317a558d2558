/**
 * Age at an instant, read the pediatric way. The clock is a parameter: callers pass `asOf` (and the hospital's
 * time zone, because "today" — and so a birthday — depends on where the hospital is).
 */
import { dateValue, daysInMonth } from './safe.ts';
import type { Age } from './view-models.ts';

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` in `timeZone` (IANA name); undefined for an invalid instant or zone. */
export function calendarDateIn(instant: Date | string, timeZone: string): CalendarDate | undefined {
  const time = typeof instant === 'string' ? Date.parse(instant) : instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(time)) return undefined;
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', calendar: 'gregory', numberingSystem: 'latn' });
    } catch {
      return undefined; // unknown time zone: no age rather than a wrong one
    }
    formatters.set(timeZone, formatter);
  }
  let year = Number.NaN;
  let month = Number.NaN;
  let day = Number.NaN;
  for (const part of formatter.formatToParts(time)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  return { year, month, day };
}

function epochDay(d: CalendarDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

/** Pediatric reading thresholds (months of age). */
const DAYS_BELOW_MONTHS = 1;
const MONTHS_BELOW_MONTHS = 24;
const YEARS_WITH_MONTHS_BELOW_MONTHS = 60;

/**
 * Age on the calendar day `asOf` falls on in `timeZone`, from a full FHIR birth date (YYYY-MM-DD; a dateTime is
 * read by its date part). Undefined when the birth date is missing, partial ("2019", "2019-07") or after asOf,
 * or the time zone is unknown. A birthday on 29 February is reached on 1 March in common years.
 */
export function ageAt(birthDate: string | undefined, asOf: Date | string, timeZone: string): Age | undefined {
  const birth = dateValue(birthDate);
  if (birth === undefined || birth.precision === 'year' || birth.precision === 'month') return undefined;
  const [y, m, d] = birth.iso.slice(0, 10).split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const born: CalendarDate = { year: y, month: m, day: d };
  const today = calendarDateIn(asOf, timeZone);
  if (today === undefined) return undefined;
  const totalDays = epochDay(today) - epochDay(born);
  if (totalDays < 0) return undefined;

  const totalMonths = (today.year - born.year) * 12 + (today.month - born.month) - (today.day < born.day ? 1 : 0);
  // The last "monthiversary": birth + totalMonths. When that month is too short for the birth day (31 January + 1
  // month), it falls on the 1st of the next month — the same rule that makes a 29 February birthday 1 March.
  const anchorMonthIndex = born.month - 1 + totalMonths;
  const anchorYear = born.year + Math.floor(anchorMonthIndex / 12);
  const anchorMonth = (anchorMonthIndex % 12) + 1;
  const anchorDay = epochDay(
    born.day <= daysInMonth(anchorYear, anchorMonth)
      ? { year: anchorYear, month: anchorMonth, day: born.day }
      : { year: anchorYear + (anchorMonth === 12 ? 1 : 0), month: (anchorMonth % 12) + 1, day: 1 },
  );
  const days = epochDay(today) - anchorDay;
  const years = Math.floor(totalMonths / 12);
  const months = totalMonths % 12;
  const base = { years, months, days, totalDays, weeks: Math.floor(totalDays / 7) };
  if (totalMonths < DAYS_BELOW_MONTHS) return { ...base, unit: 'days', value: totalDays, withMonths: false };
  if (totalMonths < MONTHS_BELOW_MONTHS) return { ...base, unit: 'months', value: totalMonths, withMonths: false };
  return { ...base, unit: 'years', value: years, withMonths: totalMonths < YEARS_WITH_MONTHS_BELOW_MONTHS };
}
