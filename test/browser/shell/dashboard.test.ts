/**
 * The family dashboard against SessionView fixtures: every access state explained, ages for the very young,
 * record links only where access is not "none", and the live Spanish switch.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayIn } from '../../../app/src/i18n/format.ts';
import { deepText, openApp, poll, useAppServer } from './app-server.ts';
import { familySession } from './session-fixtures.ts';

/** Fixtures are built on the hospital's calendar day, as the app computes ages. */
const hospitalToday = new Date(`${todayIn('America/Los_Angeles')}T12:00:00Z`);

const server = useAppServer();

async function cardText(page: Page, name: string): Promise<string> {
  return page.locator('sprout-child-card article').filter({ hasText: name }).innerText();
}

describe('family dashboard', () => {
  it('shows every child with age, relationship and a kind explanation of each access state', async () => {
    const { session, twelfthBirthday } = familySession(hospitalToday);
    const { page, errors } = await openApp(server(), '/', session);
    await poll(() => page.locator('sprout-child-card').count()).toBe(session.patients.length);
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Your family');

    expect(await cardText(page, 'Lucía')).toContain('Age 20 days');
    expect(await cardText(page, 'Mateo')).toContain('Age 5 months');
    const school = await cardText(page, 'Sofía');
    expect(school).toContain('Age 7 years');
    expect(school).toContain('Full online access');
    expect(school).toContain("You can see Sofía Ramírez's health record online.");
    expect(school).toContain('You are a parent or guardian');

    const [year, month, day] = twelfthBirthday.split('-').map(Number);
    const expectedDate = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(year!, month! - 1, day!));
    expect(await cardText(page, 'Diego')).toContain(`Online access ends on ${expectedDate}.`);

    const teen = await cardText(page, 'Valentina');
    expect(teen).toContain('No online access');
    expect(teen).toContain("California law doesn't allow parents and guardians to see a teen's record online");
    expect(teen).toContain('(714) 509-8460');
    expect(teen).toContain('Send messages to the care team');
    expect(teen).toContain('Request appointments');
    expect(teen).toContain('See and pay the balance due');
    expect(teen).not.toContain('Request prescription renewals');
    expect(teen).toContain('Valentina Ramírez turns 18 and can have their own account.');
    expect(teen).not.toContain('Online access ends');

    expect(await cardText(page, 'Camila')).toContain('Partial online access');
    const adult = await cardText(page, 'Andrés');
    expect(adult).toContain('because a court appointed you as conservator');
    expect(adult).toContain('Age 20 years');
    expect(await cardText(page, 'Tomás')).toContain(
      "Your access to this record isn't active. Please contact Health Information Management at (714) 509-8460.",
    );
    const deceased = await cardText(page, 'Elena');
    expect(deceased).toContain('please contact Health Information Management');
    expect(deceased).not.toContain('Age');

    // Record links exist exactly for the children whose level is not "none" (the handover's print link aside).
    const links = page.locator('sprout-child-card a[href^="/patient/"]:not([href$="/print"])');
    const hrefs = await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(hrefs.sort()).toEqual(
      ['/patient/adult-1', '/patient/almost12-1', '/patient/infant-1', '/patient/school-1', '/patient/teen-2', '/patient/toddler-1'].sort(),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches to Spanish live, leaves no English in the cards, and remembers the choice', async () => {
    const { session } = familySession(hospitalToday);
    const { page, errors } = await openApp(server(), '/', session);
    await poll(() => page.locator('sprout-child-card').count()).toBe(session.patients.length);
    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Su familia');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');

    const cards = await page.locator('sprout-child-card article').allInnerTexts();
    const english = /\b(access|record|Age|You|can|online|Open|days|months|years|Request|messages|contact|Health|Information|Management|ends)\b/;
    for (const text of cards) {
      // Names are the family's own words; remove them before looking for English.
      const withoutNames = session.patients.reduce((rest, patient) => rest.replaceAll(patient.name, ''), text);
      expect(withoutNames).not.toMatch(english);
    }
    expect(await cardText(page, 'Lucía')).toContain('Edad: 20 días');
    expect(await cardText(page, 'Mateo')).toContain('Edad: 5 meses');
    expect(await cardText(page, 'Diego')).toMatch(/El acceso en línea termina el \d{1,2} de [a-z]+ de \d{4}\./);
    expect(await cardText(page, 'Tomás')).toContain(
      'Su acceso a este expediente no está activo. Comuníquese con el Departamento de Administración de Información de Salud al (714) 509-8460.',
    );
    expect(await deepText(page)).toContain('Cerrar sesión');

    await page.reload();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Su familia');
    await page.getByRole('button', { name: 'English' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Your family');
    expect(await page.evaluate(() => localStorage.getItem('sprout.locale'))).toBe('en');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('labels open-server test mode and routes record paths to the record element', async () => {
    const { session } = familySession(hospitalToday, { openServerMode: true });
    const { page } = await openApp(server(), '/patient/school-1/allergies', session);
    await poll(() => page.getByRole('note').innerText()).toContain('Test mode');
    const record = page.locator('sprout-patient-record');
    await poll(() => record.getAttribute('patient-id')).toBe('school-1');
    expect(await record.getAttribute('section')).toBe('allergies');

    // The family switcher goes back to the overview (a button, not the select alone, moves the page).
    await page.getByLabel('Viewing').selectOption('');
    expect(new URL(page.url()).pathname).toBe('/patient/school-1/allergies');
    await page.getByRole('button', { name: 'Show' }).click();
    await poll(() => new URL(page.url()).pathname).toBe('/');
    await poll(() => page.locator('sprout-child-card').count()).toBe(session.patients.length);
    // Children without online access are not offered in the switcher.
    const options = await page.getByLabel('Viewing').locator('option').allInnerTexts();
    expect(options).not.toContain('Valentina Ramírez');
    expect(options).toContain('Camila Ramírez');
    await page.close();
  });
});
