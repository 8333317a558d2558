import { describe, expect, it } from 'vitest';
import { ageAt, calendarDateIn } from '../../../fhir-mappings/src/index.ts';

const LA = 'America/Los_Angeles';

describe('ageAt', () => {
  it('reads newborns in days', () => {
    expect(ageAt('2026-11-01', '2026-11-22T20:00:00Z', LA)).toMatchObject({ unit: 'days', value: 21, years: 0, months: 0, days: 21, weeks: 3 });
    expect(ageAt('2026-11-22', '2026-11-22T20:00:00Z', LA)).toMatchObject({ unit: 'days', value: 0, totalDays: 0 });
  });

  it('switches from days to months on the first monthiversary, not after 30 days', () => {
    // 31 January + 1 month is reached on 1 March (no 31 February); 28 February is still 28 days.
    expect(ageAt('2026-01-31', '2026-02-28T20:00:00Z', 'UTC')).toMatchObject({ unit: 'days', value: 28 });
    expect(ageAt('2026-01-31', '2026-03-01T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 1, months: 1, days: 0 });
    expect(ageAt('2026-01-31', '2026-03-02T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 1, days: 1 });
    expect(ageAt('2026-01-31', '2026-03-31T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 2, days: 0 });
    expect(ageAt('2026-10-22', '2026-11-21T12:00:00Z', 'UTC')).toMatchObject({ unit: 'days', value: 30 });
    expect(ageAt('2026-10-22', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 1, days: 0 });
  });

  it('reads months until 2 years, then years with months until 5, then years', () => {
    expect(ageAt('2025-01-15', '2026-12-14T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 22, years: 1, months: 10, days: 29 });
    expect(ageAt('2024-11-22', '2026-11-21T12:00:00Z', 'UTC')).toMatchObject({ unit: 'months', value: 23 });
    expect(ageAt('2024-11-22', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'years', value: 2, months: 0, withMonths: true });
    expect(ageAt('2022-07-10', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'years', value: 4, months: 4, withMonths: true });
    expect(ageAt('2021-11-22', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'years', value: 5, withMonths: false });
    expect(ageAt('2014-11-23', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'years', value: 11 });
    expect(ageAt('2014-11-22', '2026-11-22T12:00:00Z', 'UTC')).toMatchObject({ unit: 'years', value: 12 });
  });

  it('counts a 29 February birthday as reached on 1 March in common years', () => {
    expect(ageAt('2020-02-29', '2025-02-28T12:00:00Z', 'UTC')).toMatchObject({ years: 4, months: 11 });
    expect(ageAt('2020-02-29', '2025-03-01T12:00:00Z', 'UTC')).toMatchObject({ years: 5, months: 0, days: 0 });
  });

  it('decides "today" in the hospital time zone', () => {
    // 07:30 UTC on 22 November is still 21 November in Los Angeles: the 12th birthday has not come yet there.
    const instant = '2026-11-22T07:30:00Z';
    expect(ageAt('2014-11-22', instant, 'UTC')?.years).toBe(12);
    expect(ageAt('2014-11-22', instant, LA)?.years).toBe(11);
    // …and in Tokyo it is already the 22nd even late on the 21st UTC.
    expect(ageAt('2014-11-22', '2026-11-21T16:00:00Z', 'Asia/Tokyo')?.years).toBe(12);
    expect(calendarDateIn(new Date('2026-11-22T07:30:00Z'), LA)).toEqual({ year: 2026, month: 11, day: 21 });
  });

  it('gives no age for partial, malformed or future birth dates, or an unknown zone', () => {
    expect(ageAt('2019', '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt('2019-07', '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt('2019-02-30', '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt('not a date', '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt(undefined, '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt('2027-01-01', '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
    expect(ageAt('2019-01-01', 'garbage', 'UTC')).toBeUndefined();
    expect(ageAt('2019-01-01', '2026-11-22T12:00:00Z', 'Mars/Olympus_Mons')).toBeUndefined();
    expect(ageAt(42 as unknown as string, '2026-11-22T12:00:00Z', 'UTC')).toBeUndefined();
  });

  it('reads a dateTime birth date by its date part', () => {
    expect(ageAt('2026-11-20T23:30:00-08:00', '2026-11-22T20:00:00Z', LA)).toMatchObject({ unit: 'days', value: 2 });
  });
});
