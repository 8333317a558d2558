/**
 * Issue 14, "beyond every portal": the turning-12 / turning-18 handover on the family dashboard. Ahead of a birthday
 * that narrows a guardian's access, the card says what changes on which date, what stays, how the teen gets their own
 * account, and links to print the record while it is still shown — in English and Spanish; not for children with no
 * change ahead, nor for a change years away.
 */
import { describe, expect, it } from 'vitest';
import { todayIn } from '../../../app/src/i18n/format.ts';
import { openApp, poll, seriousAxeViolations, useAppServer } from './app-server.ts';
import { familySession } from './session-fixtures.ts';

const hospitalToday = new Date(`${todayIn('America/Los_Angeles')}T12:00:00Z`);
const server = useAppServer();

describe('turning-12 handover', () => {
  it('Diego turns 12 in five days: what changes when, what stays, own access, print now', async () => {
    const { session, twelfthBirthday } = familySession(hospitalToday);
    const { page, errors } = await openApp(server(), '/', session);
    const diego = page.locator('sprout-child-card article').filter({ hasText: 'Diego' });
    const handover = diego.getByTestId('handover');
    await handover.waitFor();
    const [year, month, day] = twelfthBirthday.split('-').map(Number);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(year!, month! - 1, day!));
    const text = await handover.innerText();
    expect(text).toContain(`Getting ready for ${date}`);
    expect(text).toContain(`Online access ends on ${date}.`);
    expect(text).toContain("California law doesn't allow parents and guardians to see a teen's record online");
    expect(text).toContain("Nothing is deleted: Diego Ramírez's records stay at the hospital");
    expect(text).toContain('Diego Ramírez can have their own Sprout account');
    expect(await handover.getByRole('link', { name: "Print Diego Ramírez's record now" }).getAttribute('href')).toBe('/patient/almost12-1/print');

    // No handover where nothing changes soon: Sofía (no change), Valentina (18th birthday years away).
    for (const name of ['Sofía', 'Valentina']) {
      expect(await page.locator('sprout-child-card article').filter({ hasText: name }).getByTestId('handover').count()).toBe(0);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => handover.innerText()).toContain('Preparativos para el');
    const spanish = await handover.innerText();
    expect(spanish).toContain('No se borra nada');
    expect(spanish).toContain('pida una invitación al equipo de atención');
    expect(spanish).not.toMatch(/Getting ready|Nothing is deleted|Print /);
    expect(errors).toEqual([]);
    await page.close();
  });
});
