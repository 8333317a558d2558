/**
 * Pediatric ages as families read them: days for the newborn, months for the very young, years after that.
 * Pure: "today" is a calendar date in the hospital's time zone, passed in (see todayIn in format.ts).
 */
export const AGE_UNITS = ['day', 'week', 'month', 'year'] as const;
export type AgeUnit = (typeof AGE_UNITS)[number];

export interface Age {
  readonly value: number;
  readonly unit: AgeUnit;
}

/**
 * Where each unit starts. Common pediatric practice (AAP growth charts, WHO 0–24 month tables): days under one
 * month, months under two years, years from then on.
 */
const MONTHS_FROM_DAYS = 1;
const YEARS_FROM_MONTHS = 24;

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Parses a full YYYY-MM-DD date; partial or invalid dates give undefined. */
export function parseCalendarDate(value: string | undefined): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

function wholeMonthsBetween(from: CalendarDate, to: CalendarDate): number {
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  if (to.day < from.day) months -= 1;
  return months;
}

function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000);
}

/**
 * The age to show for a birth date on a given day, or undefined when it cannot be stated honestly
 * (missing, partial or future birth date). A partial date ("2014", "2014-05") gives an age in years only when
 * every possible birthday in that range gives the same number of years.
 */
export function pediatricAge(birthDate: string | undefined, today: string): Age | undefined {
  const now = parseCalendarDate(today);
  if (!now || birthDate === undefined) return undefined;
  const full = parseCalendarDate(birthDate);
  if (full) return ageFromFullDate(full, now);
  const partial = /^(\d{4})(?:-(\d{2}))?$/.exec(birthDate);
  if (!partial) return undefined;
  const year = Number(partial[1]);
  const month = partial[2] === undefined ? undefined : Number(partial[2]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  const earliest: CalendarDate = { year, month: month ?? 1, day: 1 };
  const lastMonth = month ?? 12;
  const latest: CalendarDate = { year, month: lastMonth, day: new Date(Date.UTC(year, lastMonth, 0)).getUTCDate() };
  const oldest = ageFromFullDate(earliest, now);
  const youngest = ageFromFullDate(latest, now);
  if (oldest?.unit === 'year' && youngest?.unit === 'year' && oldest.value === youngest.value) return oldest;
  return undefined;
}

function ageFromFullDate(birth: CalendarDate, today: CalendarDate): Age | undefined {
  const days = daysBetween(birth, today);
  if (days < 0) return undefined;
  const months = wholeMonthsBetween(birth, today);
  if (months < MONTHS_FROM_DAYS) return { value: days, unit: 'day' };
  if (months < YEARS_FROM_MONTHS) return { value: months, unit: 'month' };
  return { value: Math.floor(months / 12), unit: 'year' };
}
