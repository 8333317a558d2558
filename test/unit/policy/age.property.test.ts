/** Property-based tests for the age arithmetic, across time zones and years (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOnDate,
  compareDates,
  formatDate,
  isLeapYear,
  localDateOf,
  milestoneDate,
  parseFhirDate,
  startOfLocalDay,
  type CalendarDate,
  type LeapDayRule,
} from '../../../gateway/src/policy/age.ts';
import { BUILTIN_PROFILES, decidePatientAccess } from '../../../gateway/src/policy/index.ts';
import { guardianOf, principalFor } from './support.ts';

const ZONES = [
  'America/Los_Angeles', 'UTC', 'Europe/London', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago',
  'Australia/Lord_Howe', 'America/Sao_Paulo', 'America/Havana', 'Asia/Beirut', 'America/St_Johns',
];
const RULE: LeapDayRule = { removeAccessOn: 'feb-28', grantAccessOn: 'mar-1' };

const calendarDate = fc
  .record({ year: fc.integer({ min: 1950, max: 2090 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }): CalendarDate => ({ year, month, day: Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate()) }));
const leapDayBirth = fc.integer({ min: 1988, max: 2088 }).filter(isLeapYear).map((year): CalendarDate => ({ year, month: 2, day: 29 }));
const birth = fc.oneof(calendarDate, leapDayBirth);
const zone = fc.constantFrom(...ZONES);

/** An independent oracle: the local date string of an instant, straight from Intl. */
function localIso(instant: Date, timeZone: string): string {
  return instant.toLocaleDateString('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

describe('age arithmetic (property-based)', () => {
  it('startOfLocalDay is the first instant of that local day in every zone', () => {
    fc.assert(
      fc.property(calendarDate, zone, (date, tz) => {
        const start = startOfLocalDay(date, tz);
        expect(localIso(start, tz)).toBe(formatDate(date));
        expect(localIso(new Date(start.getTime() - 1), tz)).toBe(formatDate(addDays(date, -1)));
      }),
      { numRuns: 400 },
    );
  });

  it('the milestone birthday starts exactly at local midnight: a minute before is one year younger', () => {
    fc.assert(
      fc.property(birth, zone, fc.constantFrom(12, 13, 18), fc.constantFrom('remove' as const, 'grant' as const), (b, tz, years, reading) => {
        const range = { earliest: b, latest: b, precision: 'day' as const };
        const day = milestoneDate(range, years, reading, RULE);
        const start = startOfLocalDay(day, tz);
        expect(ageOnDate(range, localDateOf(new Date(start.getTime() - 60_000), tz), reading, RULE)).toBe(years - 1);
        expect(ageOnDate(range, localDateOf(new Date(start.getTime() + 60_000), tz), reading, RULE)).toBe(years);
      }),
      { numRuns: 400 },
    );
  });

  it('age never decreases and grows by at most one per day', () => {
    fc.assert(
      fc.property(birth, fc.integer({ min: 0, max: 40_000 }), (b, offset) => {
        const range = { earliest: b, latest: b, precision: 'day' as const };
        const day = addDays(b, offset);
        const today = ageOnDate(range, day, 'remove', RULE);
        const tomorrow = ageOnDate(range, addDays(day, 1), 'remove', RULE);
        expect(tomorrow - today).toBeGreaterThanOrEqual(0);
        expect(tomorrow - today).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('the two readings differ only for a leap-day birth, on Feb 28 of a common year', () => {
    fc.assert(
      fc.property(birth, fc.integer({ min: 0, max: 40_000 }), (b, offset) => {
        const range = { earliest: b, latest: b, precision: 'day' as const };
        const day = addDays(b, offset);
        const remove = ageOnDate(range, day, 'remove', RULE);
        const grant = ageOnDate(range, day, 'grant', RULE);
        if (remove !== grant) {
          expect(b.month === 2 && b.day === 29).toBe(true);
          expect(day.month === 2 && day.day === 28 && !isLeapYear(day.year)).toBe(true);
          expect(remove).toBe(grant + 1);
        }
      }),
    );
  });

  it('a partial birthDate is never younger for removal than any full date it could be', () => {
    fc.assert(
      fc.property(calendarDate, fc.boolean(), fc.integer({ min: 0, max: 30_000 }), (b, yearOnly, offset) => {
        const partial = yearOnly ? String(b.year) : `${b.year}-${String(b.month).padStart(2, '0')}`;
        const range = parseFhirDate(partial);
        expect(range).toBeDefined();
        const exact = { earliest: b, latest: b, precision: 'day' as const };
        const day = addDays(b, offset);
        expect(ageOnDate(range!, day, 'remove', RULE)).toBeGreaterThanOrEqual(ageOnDate(exact, day, 'remove', RULE));
        expect(ageOnDate(range!, day, 'grant', RULE)).toBeLessThanOrEqual(ageOnDate(exact, day, 'grant', RULE));
        expect(compareDates(range!.earliest, range!.latest)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('ca-strict guardian access is full exactly while the Los Angeles date is before the 12th birthday', () => {
    const profile = BUILTIN_PROFILES['ca-strict'];
    fc.assert(
      fc.property(
        calendarDate.filter((d) => d.year >= 1990 && d.year <= 2060),
        fc.integer({ min: 0, max: 20 * 366 * 24 * 60 }),
        (b, minutes) => {
          const birthDate = formatDate(b);
          const bornAt = Date.UTC(b.year, b.month - 1, b.day);
          const asOf = new Date(bornAt + minutes * 60_000);
          const patient = { resourceType: 'Patient' as const, id: 'p', birthDate };
          const decision = decidePatientAccess(
            { principal: principalFor('RelatedPerson/test-parent'), patient, relatedPersons: [guardianOf(patient)], consents: [] },
            profile,
            asOf,
          );
          // Oracle: compare local date strings; a Feb-29 birthday is observed on Feb 28 in common years for removal.
          const twelfth = b.month === 2 && b.day === 29 && !isLeapYear(b.year + 12) ? `${b.year + 12}-02-28` : `${b.year + 12}-${birthDate.slice(5)}`;
          const today = localIso(asOf, 'America/Los_Angeles');
          if (today < birthDate) expect(decision.level).toBe('none');
          else expect(decision.level).toBe(today < twelfth ? 'full' : 'none');
          expect(new Date(decision.validUntil).getTime()).toBeGreaterThan(asOf.getTime());
          expect(new Date(decision.validUntil).getTime() - asOf.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
