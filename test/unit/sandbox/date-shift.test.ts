import { fileURLToPath } from 'node:url';
import type { FhirResource, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { daysSinceAnchor, shiftDates, shiftDateString } from '../../../sandbox/src/seed/date-shift.ts';
import { flattenSeedItems, loadSeedDirectory, orderSeedFiles } from '../../../sandbox/src/seed/load-seed.ts';

const FAMILY = fileURLToPath(new URL('../../../fixtures/family/', import.meta.url));

/** Completed years and the days until the next birthday, by calendar (UTC dates). */
function age(birthDate: string, today: Date): { years: number; daysToNextBirthday: number; months: number } {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  let years = t.getUTCFullYear() - y;
  if (t.getUTCMonth() + 1 < m || (t.getUTCMonth() + 1 === m && t.getUTCDate() < d)) years -= 1;
  const next = new Date(Date.UTC(y + years + 1, m - 1, d));
  const months = (t.getUTCFullYear() - y) * 12 + (t.getUTCMonth() + 1 - m) - (t.getUTCDate() < d ? 1 : 0);
  return { years, months, daysToNextBirthday: Math.round((next.getTime() - t.getTime()) / 86_400_000) };
}

async function patients(today: Date): Promise<Map<string, Patient>> {
  const resources = flattenSeedItems(await loadSeedDirectory(FAMILY, { today }));
  return new Map(resources.filter((r): r is Patient => r.resourceType === 'Patient').map((p) => [p.id ?? '', p]));
}

describe('date shifting', () => {
  it('shifts full dates, dateTimes and months by whole days and leaves everything else alone', () => {
    expect(shiftDateString('2025-06-02', 30)).toBe('2025-07-02');
    expect(shiftDateString('2025-06-02T09:00:00-07:00', -2)).toBe('2025-05-31T09:00:00-07:00');
    expect(shiftDateString('2024-02', 31)).toBe('2024-03');
    expect(shiftDateString('2024', 400)).toBe('2024');
    expect(shiftDateString('2025-02-30', 1)).toBe('2025-02-30');
    expect(shiftDateString('SP100231', 5)).toBe('SP100231');
    const shifted = shiftDates({ resourceType: 'Binary', id: '2025-01-01', data: '2025-01-01', contentType: 'text/plain' } as FhirResource, 10);
    expect(shifted).toEqual({ resourceType: 'Binary', id: '2025-01-01', data: '2025-01-01', contentType: 'text/plain' });
    expect(daysSinceAnchor('2025-06-02', new Date('2025-06-12T23:59:00Z'))).toBe(10);
    expect(() => daysSinceAnchor('June 2', new Date())).toThrow(/YYYY-MM-DD/);
  });

  it.each([new Date('2026-11-22T12:00:00Z'), new Date('2031-02-27T03:00:00Z'), new Date('2025-06-02T00:00:00Z')])(
    'keeps every family member the right age on %s', async (today) => {
      const byId = await patients(today);
      const leo = age(byId.get('leo-rivera')?.birthDate ?? '', today);
      expect(leo.years).toBe(0);
      expect(leo.months).toBeGreaterThanOrEqual(3);
      expect(leo.months).toBeLessThanOrEqual(5);
      expect(age(byId.get('sofia-rivera')?.birthDate ?? '', today).years).toBe(7);
      const mateo = age(byId.get('mateo-rivera')?.birthDate ?? '', today);
      expect(mateo.years).toBe(11);
      expect(mateo.daysToNextBirthday).toBeGreaterThanOrEqual(1);
      expect(mateo.daysToNextBirthday).toBeLessThanOrEqual(7);
      const isabel = age(byId.get('isabel-rivera')?.birthDate ?? '', today).years;
      expect(isabel).toBeGreaterThanOrEqual(12);
      expect(isabel).toBeLessThanOrEqual(17);
      expect(age(byId.get('elena-rivera')?.birthDate ?? '', today).years).toBeGreaterThanOrEqual(18);
    });

  it('moves clinical dates with the birthDates (intervals unchanged)', async () => {
    const a = flattenSeedItems(await loadSeedDirectory(FAMILY, { today: new Date('2026-01-01T12:00:00Z') }));
    const b = flattenSeedItems(await loadSeedDirectory(FAMILY, { today: new Date('2026-01-31T12:00:00Z') }));
    const enc = (items: FhirResource[]) => items.find((r) => r.resourceType === 'Encounter' && r.id === 'leo-ed-bronchiolitis');
    const start = (r: FhirResource | undefined) => (r?.resourceType === 'Encounter' ? r.period?.start ?? '' : '');
    expect(Date.parse(start(enc(b))) - Date.parse(start(enc(a)))).toBe(30 * 86_400_000);
  });

  it('loads Synthea support bundles before patient bundles', () => {
    expect(orderSeedFiles(['x__patient.json', 'x__practitionerInformation1.json', 'x__hospitalInformation1.json', 'a.json']))
      .toEqual(['x__hospitalInformation1.json', 'x__practitionerInformation1.json', 'a.json', 'x__patient.json']);
  });
});
