/**
 * Age arithmetic in the hospital's time zone (Cal. Family Code 6500: minority counts from the first minute of the
 * day of birth to the same minute of the corresponding day). Pure: the instant is always a parameter.
 *
 * Two readings of an uncertain birthday exist, and each caller picks the one that fails closed:
 * - "remove" — for ending a third party's access: the earliest possible birthday (partial dates take their first
 *   day; a Feb-29 birthday in a common year falls on the profile's `removeAccessOn` day, default Feb 28);
 * - "grant" — for starting access: the latest possible birthday (partial dates take their last day; Feb 29 falls on
 *   `grantAccessOn`, default Mar 1).
 */

export interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

export type BirthdayReading = 'remove' | 'grant';
export type LeapDayChoice = 'feb-28' | 'mar-1';

export interface LeapDayRule {
  readonly removeAccessOn: LeapDayChoice;
  readonly grantAccessOn: LeapDayChoice;
}

/** The range of calendar days a (possibly partial) FHIR date can denote. */
export interface BirthDateRange {
  readonly earliest: CalendarDate;
  readonly latest: CalendarDate;
  readonly precision: 'year' | 'month' | 'day';
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Parses a FHIR `date` ("2014", "2014-05", "2014-05-17"). Returns undefined for anything else (including an
 * impossible day such as 2015-02-29): callers treat that like a missing date and fail closed.
 */
export function parseFhirDate(value: string | undefined): BirthDateRange | undefined {
  if (value === undefined) return undefined;
  const match = FHIR_DATE.exec(value.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 1800) return undefined;
  if (match[2] === undefined) {
    return { earliest: { year, month: 1, day: 1 }, latest: { year, month: 12, day: 31 }, precision: 'year' };
  }
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  if (match[3] === undefined) {
    return {
      earliest: { year, month, day: 1 },
      latest: { year, month, day: daysInMonth(year, month) },
      precision: 'month',
    };
  }
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = { year, month, day };
  return { earliest: date, latest: date, precision: 'day' };
}

/** The calendar day on which the `years`-th birthday is observed, under the profile's Feb-29 rule. */
export function birthdayInYear(birth: CalendarDate, years: number, choice: LeapDayChoice): CalendarDate {
  const year = birth.year + years;
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) {
    return choice === 'feb-28' ? { year, month: 2, day: 28 } : { year, month: 3, day: 1 };
  }
  return { year, month: birth.month, day: birth.day };
}

function pickBirth(range: BirthDateRange, reading: BirthdayReading): CalendarDate {
  return reading === 'remove' ? range.earliest : range.latest;
}

function leapChoice(rule: LeapDayRule, reading: BirthdayReading): LeapDayChoice {
  return reading === 'remove' ? rule.removeAccessOn : rule.grantAccessOn;
}

/** The day the `years`-th birthday takes effect for this reading. */
export function milestoneDate(
  range: BirthDateRange,
  years: number,
  reading: BirthdayReading,
  rule: LeapDayRule,
): CalendarDate {
  return birthdayInYear(pickBirth(range, reading), years, leapChoice(rule, reading));
}

/** Completed years on a local calendar day; -1 before birth. */
export function ageOnDate(range: BirthDateRange, today: CalendarDate, reading: BirthdayReading, rule: LeapDayRule): number {
  const birth = pickBirth(range, reading);
  if (compareDates(today, birth) < 0) return -1;
  let years = today.year - birth.year;
  if (compareDates(birthdayInYear(birth, years, leapChoice(rule, reading)), today) > 0) years -= 1;
  return years;
}

// ---- time zones -------------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalDateTime extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const yearOfEra = Number(parts.year);
  return {
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - yearOfEra : yearOfEra,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The local calendar day of an instant in the given IANA zone. */
export function localDateOf(instant: Date, timeZone: string): CalendarDate {
  const { year, month, day } = localDateTime(instant, timeZone);
  return { year, month, day };
}

function offsetMillis(instant: Date, timeZone: string): number {
  const local = localDateTime(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant of a local calendar day in the zone. Two passes settle the offset; when midnight itself does not
 * exist (a DST jump at 00:00 in some zones) this returns the first instant of the day that does.
 */
export function startOfLocalDay(date: CalendarDate, timeZone: string): Date {
  const wallClock = Date.UTC(date.year, date.month - 1, date.day);
  let instant = wallClock - offsetMillis(new Date(wallClock), timeZone);
  instant = wallClock - offsetMillis(new Date(instant), timeZone);
  // If the guess landed on the previous local day (a gap at midnight), move forward to this day's first hour.
  let guard = 0;
  while (compareDates(localDateOf(new Date(instant), timeZone), date) < 0 && guard < 4) {
    instant += 3_600_000;
    guard += 1;
  }
  return new Date(instant);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The next local midnight strictly after the instant. */
export function nextLocalMidnight(instant: Date, timeZone: string): Date {
  return startOfLocalDay(addDays(localDateOf(instant, timeZone), 1), timeZone);
}

const FHIR_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The local calendar day of a FHIR date or dateTime, judged in the zone. A date-only value is already a local day;
 * a partial date ("2014-05") takes its *latest* day, which makes the patient as old as possible at that time
 * (fails closed when asking "could the minor have consented?"). Returns undefined when unreadable.
 */
export function localDayOfFhirDateTime(value: string | undefined, timeZone: string): CalendarDate | undefined {
  if (value === undefined) return undefined;
  // Pure and costly (an Intl time-zone conversion), and a record repeats the same dates: remembered, bounded.
  let byValue = LOCAL_DAYS.get(timeZone);
  if (byValue === undefined) {
    if (LOCAL_DAYS.size >= 8) LOCAL_DAYS.clear();
    byValue = new Map();
    LOCAL_DAYS.set(timeZone, byValue);
  }
  const known = byValue.get(value);
  if (known !== undefined) return known === UNREADABLE ? undefined : known;
  const day = localDayUncached(value, timeZone);
  if (value.length <= 64) {
    if (byValue.size >= 20_000) byValue.clear();
    byValue.set(value, day === undefined ? UNREADABLE : Object.freeze(day));
  }
  return day;
}

const UNREADABLE: CalendarDate = Object.freeze({ year: Number.NaN, month: Number.NaN, day: Number.NaN });
const LOCAL_DAYS = new Map<string, Map<string, CalendarDate>>();

function localDayUncached(value: string, timeZone: string): CalendarDate | undefined {
  const range = parseFhirDate(value);
  if (range) return range.latest;
  if (!FHIR_DATE_TIME.test(value)) return undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  return localDateOf(instant, timeZone);
}

/** Parses a FHIR instant or dateTime with a zone into a Date; undefined if unreadable or date-only. */
export function parseInstant(value: string | undefined): Date | undefined {
  if (value === undefined || !FHIR_DATE_TIME.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
