/**
 * The shell's pure cores, without a browser: routes, pediatric ages, formatting, the gateway client's error
 * mapping, and the access-message lookup that must never guess a reason for "none".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorKindForStatus, operationOutcomeText } from '../../../app/src/api/gateway-client.ts';
import { pediatricAge } from '../../../app/src/i18n/age.ts';
import { formatAge, formatCalendarDate, formatQuantity, todayIn } from '../../../app/src/i18n/format.ts';
import { pickInitialLocale } from '../../../app/src/i18n/locales.ts';
import { matchRoute, recordPath } from '../../../app/src/shell/router.ts';
import { ACCESS_MESSAGE_KEYS, resolveAccessMessageKey } from '../../../app/src/dashboard/access-messages.ts';
import { initialsOf } from '../../../app/src/dashboard/initials.ts';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'dashboard' }],
    ['/patient/abc-123', { name: 'record', patientId: 'abc-123' }],
    ['/patient/abc-123/', { name: 'record', patientId: 'abc-123' }],
    ['/patient/abc.1/results', { name: 'record', patientId: 'abc.1', section: 'results' }],
    ['/signed-out', { name: 'signed-out' }],
    ['/patient/%3Cscript%3E', { name: 'not-found' }],
    ['/patient/%E0%A4%A', { name: 'not-found' }],
    ['/patient/abc/Results', { name: 'not-found' }],
    ['/patient/abc/results/extra', { name: 'not-found' }],
    ['/patient/' + 'a'.repeat(65), { name: 'not-found' }],
    ['/elsewhere', { name: 'not-found' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it('reads only known signed-out reasons', () => {
    expect(matchRoute('/signed-out', '?reason=idle')).toEqual({ name: 'signed-out', reason: 'idle' });
    expect(matchRoute('/signed-out', '?reason=<b>')).toEqual({ name: 'signed-out' });
  });

  it('builds record paths that route back to the same record', () => {
    expect(matchRoute(recordPath('p-1', 'visits'))).toEqual({ name: 'record', patientId: 'p-1', section: 'visits' });
  });
});

describe('pediatricAge', () => {
  it.each([
    ['2025-03-01', '2025-03-01', { value: 0, unit: 'day' }],
    ['2025-02-10', '2025-03-05', { value: 23, unit: 'day' }],
    ['2025-02-05', '2025-03-05', { value: 1, unit: 'month' }],
    ['2023-03-06', '2025-03-05', { value: 23, unit: 'month' }],
    ['2023-03-05', '2025-03-05', { value: 2, unit: 'year' }],
    ['2013-03-06', '2025-03-05', { value: 11, unit: 'year' }],
    ['2013-03-05', '2025-03-05', { value: 12, unit: 'year' }],
    ['2012-02-29', '2025-02-28', { value: 12, unit: 'year' }],
  ])('born %s, on %s', (birthDate, today, age) => {
    expect(pediatricAge(birthDate, today)).toEqual(age);
  });

  it('states an age from a partial date only when every possible birthday agrees', () => {
    expect(pediatricAge('2014', '2025-12-31')).toEqual({ value: 11, unit: 'year' });
    expect(pediatricAge('2014', '2025-06-01')).toBeUndefined();
    expect(pediatricAge('2014-05', '2025-06-01')).toEqual({ value: 11, unit: 'year' });
  });

  it('gives no age for missing, malformed or future birth dates', () => {
    expect(pediatricAge(undefined, '2025-03-05')).toBeUndefined();
    expect(pediatricAge('2025-02-30', '2025-03-05')).toBeUndefined();
    expect(pediatricAge('yesterday', '2025-03-05')).toBeUndefined();
    expect(pediatricAge('2025-03-06', '2025-03-05')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('spells ages in each language', () => {
    expect(formatAge({ value: 3, unit: 'day' }, 'en')).toBe('3 days');
    expect(formatAge({ value: 1, unit: 'month' }, 'en')).toBe('1 month');
    expect(formatAge({ value: 5, unit: 'month' }, 'es')).toBe('5 meses');
    expect(formatAge({ value: 7, unit: 'year' }, 'es')).toBe('7 años');
  });

  it('formats calendar dates without shifting them through a time zone', () => {
    expect(formatCalendarDate('2027-03-04', 'en')).toBe('March 4, 2027');
    expect(formatCalendarDate('2027-03-04', 'es')).toBe('4 de marzo de 2027');
    expect(formatCalendarDate('2014-05', 'en')).toBe('May 2014');
    expect(formatCalendarDate('not a date', 'en')).toBe('');
  });

  it("takes today's date in the hospital's zone, not UTC", () => {
    const lateEveningInLosAngeles = new Date('2025-03-05T06:30:00Z');
    expect(todayIn('America/Los_Angeles', lateEveningInLosAngeles)).toBe('2025-03-04');
    expect(todayIn('UTC', lateEveningInLosAngeles)).toBe('2025-03-05');
  });

  it('formats UCUM quantities with localized units, and keeps unknown units as written', () => {
    expect(formatQuantity({ value: 12.5, code: 'kg' }, 'es')).toBe('12,5 kg');
    expect(formatQuantity({ value: 98, unit: 'mg/dL' }, 'en')).toBe('98 mg/dL');
    expect(formatQuantity({ unit: 'kg' }, 'en')).toBe('');
  });
});

describe('gateway client helpers', () => {
  it('maps statuses to user-facing kinds, closed over unknown codes', () => {
    expect(errorKindForStatus(401)).toBe('session-expired');
    expect(errorKindForStatus(404)).toBe('not-found');
    expect(errorKindForStatus(503)).toBe('upstream-unavailable');
    expect(errorKindForStatus(403)).toBe('refused');
    expect(errorKindForStatus(418)).toBe('unexpected');
  });

  it('reads OperationOutcome text and ignores anything else', () => {
    expect(operationOutcomeText({ resourceType: 'OperationOutcome', issue: [{ details: { text: 'Bad' } }, { diagnostics: 'Worse' }] })).toBe('Bad Worse');
    expect(operationOutcomeText({ resourceType: 'Patient' })).toBeUndefined();
    expect(operationOutcomeText('<html>')).toBeUndefined();
    expect(operationOutcomeText({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'x'.repeat(2000) }] })).toHaveLength(500);
  });
});

describe('access message keys', () => {
  it('accepts the keys the hospital profiles use', () => {
    expect(resolveAccessMessageKey('access.guardian.teen-no-online-access', 'none')).toBe('access.guardian.teen-no-online-access');
    expect(resolveAccessMessageKey('access.conservator.full', 'full')).toBe('access.conservator.full');
  });

  it('never guesses a reason for an unknown key with no access', () => {
    expect(resolveAccessMessageKey('access.court-order-against-guardian', 'none')).toBe('access.not-active');
    expect(resolveAccessMessageKey('something-new', 'allow-listed')).toBe('access.guardian.teen-allow-list');
    expect(resolveAccessMessageKey('something-new', 'full')).toBe('access.guardian.full');
  });

  it('has a sentence for every messageKey in the shipped hospital profiles', () => {
    const profileDir = resolve(import.meta.dirname, '../../../gateway/src/policy/profiles');
    const keys = new Set<string>();
    for (const file of existsSync(profileDir) ? readdirSync(profileDir).filter((name) => name.endsWith('.json')) : []) {
      for (const match of readFileSync(join(profileDir, file), 'utf8').matchAll(/"messageKey":\s*"([^"]+)"/g)) keys.add(match[1] ?? '');
    }
    const unknown = [...keys].filter((key) => !(ACCESS_MESSAGE_KEYS as readonly string[]).includes(key));
    expect(unknown).toEqual([]);
  });
});

describe('initial locale and initials', () => {
  it('prefers the saved choice, then the browser, then English', () => {
    expect(pickInitialLocale('es', ['en-US'])).toBe('es');
    expect(pickInitialLocale(null, ['fr-FR', 'es-MX'])).toBe('es');
    expect(pickInitialLocale('de', ['de-DE'])).toBe('en');
  });

  it('takes the first and last initials, grapheme-safe', () => {
    expect(initialsOf('Ava María López')).toBe('AL');
    expect(initialsOf('  émile ')).toBe('É');
    expect(initialsOf('')).toBe('');
  });
});
