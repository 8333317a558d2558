/**
 * Issue 2, end to end: the real portal (gateway + built app) against the sandbox EHR, driven in Debian Chromium.
 * Standalone sign-in shows the Rivera family with the access states the profile decides; an EHR launch from the
 * simulator lands on the launched child; sign out ends the session server-side; the Spanish switch changes the
 * dashboard; axe finds no serious or critical violations. Then the states that differ under ca-adolescent-split.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { CHILDREN, cardText, childCard, daysFromTodayLong, sensitiveHits } from './support/family.ts';
import { textLines, visibleText } from './support/page-text.ts';
import { newPage, signIn, useSignedInPortal, withPage, type RunningPortal } from './support/portal.ts';

const ALL_NAMES: string[] = Object.values(CHILDREN).map((child) => child.name);

/** English words and phrases of the dashboard's UI (not data): none may remain after switching to Spanish. */
const ENGLISH_DASHBOARD_PHRASES = [
  'Your family',
  'Signed in as',
  'Full online access',
  'Partial online access',
  'No online access',
  'online',
  'Age ',
  'years',
  'months',
  'parent',
  'guardian',
  'conservator',
  'You can',
  'record',
  'Open ',
  'access',
  'ends on',
  'Health Information Management',
  'California law',
  'Sign out',
  'Family',
] as const;

async function openDashboard(page: Page, portal: RunningPortal): Promise<void> {
  await page.goto(`${portal.portalUrl}/`);
  await page.getByRole('heading', { name: 'Your family', level: 1 }).waitFor();
  await childCard(page, CHILDREN.elena.name).waitFor();
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function cardNames(page: Page): Promise<string[]> {
  return page.locator('sprout-child-card').getByRole('heading', { level: 2 }).allInnerTexts();
}

describe('family dashboard under ca-strict', () => {
  const signedIn = useSignedInPortal({ profile: 'ca-strict', username: 'maria' });
  let portal: RunningPortal;
  let browser: Browser;
  /** Maria's signed-in page, shared by the tests that only read the dashboard (sign-out comes last). */
  let maria: Page;
  beforeAll(() => {
    ({ portal, browser, page: maria } = signedIn());
  });

  test('standalone sign-in as maria shows the whole family with the access each child allows', async () => {
    await openDashboard(maria, portal);
    expect(new URL(maria.url()).pathname).toBe('/');
    expect(await visibleText(maria)).toContain('Signed in as Maria Rivera');
    expect((await cardNames(maria)).map((name) => name.trim())).toEqual(ALL_NAMES);

    const leo = await cardText(maria, CHILDREN.leo.name);
    expect(leo).toMatch(/Age [34] months/);
    expect(leo).toContain('You are a parent or guardian');
    expect(leo).toContain('Full online access');
    expect(leo).toContain("You can see Leo Rivera's health record online.");
    await childCard(maria, CHILDREN.leo.name).getByRole('link', { name: "Open Leo Rivera's record", exact: true }).waitFor();
    // Photo initials stand in for a photo (decorative: hidden from screen readers, which read the name instead).
    const avatar = childCard(maria, CHILDREN.leo.name).locator('.avatar');
    expect((await avatar.innerText()).trim()).toBe('LR');
    expect(await avatar.getAttribute('aria-hidden')).toBe('true');

    const sofia = await cardText(maria, CHILDREN.sofia.name);
    expect(sofia).toContain('Age 7 years');
    expect(sofia).toContain('Full online access');
    await childCard(maria, CHILDREN.sofia.name).getByRole('link', { name: "Open Sofia Rivera's record", exact: true }).waitFor();

    // Mateo turns 12 in three days: full access today, and the card says when it ends.
    const mateo = await cardText(maria, CHILDREN.mateo.name);
    expect(mateo).toContain('Age 11 years');
    expect(mateo).toContain('Full online access');
    expect(mateo).toContain(`Online access ends on ${daysFromTodayLong(3, 'en-US')}.`);

    // Isabel is 15: no online clinical access for a guardian, explained kindly, and no way into the record.
    const isabel = await cardText(maria, CHILDREN.isabel.name);
    expect(isabel).toContain('Age 15 years');
    expect(isabel).toContain('No online access');
    expect(isabel).toContain("California law doesn't allow parents and guardians to see a teen's record online");
    expect(isabel).toContain('(714) 509-8460');
    expect(isabel, 'a card with no access must not announce that access "ends"').not.toContain('Online access ends');
    expect(await childCard(maria, CHILDREN.isabel.name).getByRole('link').count()).toBe(0);
    expect(sensitiveHits(isabel)).toEqual([]);

    // Elena is 18: Maria sees her record only as her court-appointed conservator.
    const elena = await cardText(maria, CHILDREN.elena.name);
    expect(elena).toContain('Age 18 years');
    expect(elena).toContain('You are the conservator');
    expect(elena).toContain('Full online access');
    expect(elena).toContain('because a court appointed you as conservator');
    await childCard(maria, CHILDREN.elena.name).getByRole('link', { name: "Open Elena Rivera's record", exact: true }).waitFor();

    // The family switcher offers exactly the children whose record can be opened.
    const options = await maria.getByLabel('Viewing').locator('option').allInnerTexts();
    expect(options.map((option) => option.trim()).filter((option) => ALL_NAMES.includes(option))).toEqual([
      CHILDREN.leo.name,
      CHILDREN.sofia.name,
      CHILDREN.mateo.name,
      CHILDREN.elena.name,
    ]);
  });

  test('the dashboard has no serious or critical axe violations (desktop and phone)', async () => {
    await openDashboard(maria, portal);
    expect(await seriousAxeViolations(maria)).toEqual([]);

    const phone = await newPage(browser, 'phone');
    try {
      // A second sign-in in its own context: the phone is another device.
      await signIn(phone, portal.portalUrl, 'maria');
      await openDashboard(phone, portal);
      expect(await seriousAxeViolations(phone)).toEqual([]);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the dashboard scrolls sideways on a 360 px phone').toBeLessThanOrEqual(0);
    } finally {
      await phone.close();
    }
  });

  test('the Spanish switch translates the dashboard, and English switches it back', async () => {
    await openDashboard(maria, portal);
    await maria.getByRole('button', { name: 'Español' }).click();
    await maria.getByRole('heading', { name: 'Su familia', level: 1 }).waitFor();
    await maria.locator('html[lang="es"]').waitFor();

    const mateo = await cardText(maria, CHILDREN.mateo.name);
    expect(mateo).toContain('Acceso en línea completo');
    expect(mateo).toContain(`El acceso en línea termina el ${daysFromTodayLong(3, 'es')}.`);
    expect(await cardText(maria, CHILDREN.isabel.name)).toContain('Sin acceso en línea');
    expect(await cardText(maria, CHILDREN.elena.name)).toContain('Usted es la curadora legal');

    // No English UI words left in any card (the children's names are data and are removed first).
    for (const name of ALL_NAMES) {
      const text = (await textLines(childCard(maria, name))).join('\n').replaceAll(name, '');
      const english = ENGLISH_DASHBOARD_PHRASES.filter((phrase) => text.includes(phrase));
      expect(english, `English left in ${name}'s card:\n${text}`).toEqual([]);
    }
    await maria.getByRole('button', { name: 'Cerrar sesión', exact: true }).waitFor();

    // The choice survives a reload, and English brings the English dashboard back.
    await maria.reload();
    await maria.getByRole('heading', { name: 'Su familia', level: 1 }).waitFor();
    await maria.getByRole('button', { name: 'English' }).click();
    await maria.getByRole('heading', { name: 'Your family', level: 1 }).waitFor();
    expect(await cardText(maria, CHILDREN.leo.name)).toContain('Full online access');
  });

  test('an EHR launch from the simulator as maria lands on the launched child', async () => {
    await withPage(browser, 'dashboard-ehr-launch-maria', async (page) => {
      await page.goto(portal.sandbox.launchSimulatorUrl);
      await page.getByLabel('EHR user').selectOption('Person/maria-rivera');
      await page.getByLabel('Patient chart').selectOption(CHILDREN.sofia.id);
      await page.getByRole('button', { name: 'Launch app' }).click();
      await page.waitForURL((url) => url.origin === portal.portalUrl);
      await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
      await page.waitForURL((url) => url.pathname === `/patient/${CHILDREN.sofia.id}`, { timeout: 5_000 }).catch(() => undefined);
      expect(new URL(page.url()).pathname, 'the launch should open the launched child').toBe(`/patient/${CHILDREN.sofia.id}`);
      await page.locator('sprout-patient-banner').getByText(CHILDREN.sofia.name, { exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Allergies' }).waitFor();
      expect(await visibleText(page)).toMatch(/amoxicillin/i);
    });
  });

  test('an EHR launch as dr.shah opens the family-view preview: what Maria and Mateo see online, why, and when it changes', async () => {
    await withPage(browser, 'dashboard-ehr-launch-dr-shah', async (page) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(portal.sandbox.launchSimulatorUrl);
      await page.getByLabel('EHR user').selectOption('Practitioner/priya-shah');
      await page.getByLabel('Patient chart').selectOption(CHILDREN.mateo.id);
      await page.getByRole('button', { name: 'Launch app' }).click();
      await page.waitForURL((url) => url.origin === portal.portalUrl);
      await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
      await page.waitForURL((url) => url.pathname === `/patient/${CHILDREN.mateo.id}`, { timeout: 5_000 }).catch(() => undefined);
      expect(new URL(page.url()).pathname, 'the launch should open the launched child').toBe(`/patient/${CHILDREN.mateo.id}`);
      await page.getByRole('heading', { name: 'What the family sees online', level: 1 }).waitFor();

      // Maria (guardian) and Mateo himself, each decided as their own sign-in would be, with the rule that applied.
      const viewers = page.locator('[data-testid="preview-viewer"]');
      await viewers.first().waitFor();
      const maria = viewers.filter({ hasText: 'Maria Rivera' });
      const mateo = viewers.filter({ has: page.getByRole('heading', { name: /Mateo Rivera — the patient/ }) });
      expect(await maria.count()).toBe(1);
      expect(await mateo.count()).toBe(1);
      const mariaText = await maria.innerText();
      // Mateo is 12 or older: under ca-strict his guardian sees no record online, and the clinician sees why.
      expect(mariaText).toContain('No online access');
      expect(mariaText).toMatch(/Why \(policy rule\)\s*guardian-teen/);
      expect(mariaText).toContain("California law doesn't allow parents and guardians to see a teen's record online");
      // …and the date it changes again (his 18th birthday).
      expect(mariaText).toMatch(/From [A-Z][a-z]+ \d{1,2}, \d{4}:/);
      expect(await mateo.innerText()).toContain('The patient reads');

      // Nothing of the record itself, and no other child.
      const text = await visibleText(page);
      expect(text).not.toContain(CHILDREN.sofia.name);
      expect(text).not.toContain("Please use the hospital's clinical system to see this record.");
      expect(await page.getByRole('link', { name: 'Family' }).count()).toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      const landmarks = await new AxeBuilder({ page }).withRules(['region', 'landmark-unique']).analyze();
      expect(landmarks.violations.map((violation) => violation.id)).toEqual([]);

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Lo que la familia ve en línea', level: 1 }).waitFor();
      const spanish = await maria.innerText();
      expect(spanish).toContain('Sin acceso en línea');
      expect(spanish).toContain('Motivo (regla de la política)');
      // Interface words only (rule codes and the policy's legal basis lines are the policy core's own words).
      expect(spanish.replace(/guardian-[a-z0-9-]+|Cal\.[^\n]*|Health and Safety Code[^\n]*|HIPAA[^\n]*|45 CFR[^\n]*/g, '')).not.toMatch(
        /\b(Today|Why|Besides the record|The guardian reads|No online access|What changes)\b/,
      );
      expect(errors).toEqual([]);
    });
  });

  test('sign out returns to the signed-out page and ends the session on the server', async () => {
    await openDashboard(maria, portal);
    const cookiesBefore = await maria.context().cookies(portal.portalUrl);
    expect(cookiesBefore.length).toBeGreaterThan(0);
    expect((await maria.request.get(`${portal.portalUrl}/api/session`)).status()).toBe(200);

    await maria.getByRole('button', { name: 'Sign out', exact: true }).click();
    await maria.waitForURL((url) => url.pathname === '/signed-out');
    await maria.getByText('You have signed out. Thank you for using Sprout.', { exact: true }).waitFor();
    await maria.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    expect(await maria.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await visibleText(maria)).not.toContain('Leo Rivera');

    expect((await maria.request.get(`${portal.portalUrl}/api/session`)).status()).toBe(401);
    // The old cookie, replayed from elsewhere, is dead too: the session is gone server-side, not just forgotten.
    const replay = await browser.newContext();
    try {
      await replay.addCookies(cookiesBefore);
      expect((await replay.request.get(`${portal.portalUrl}/api/session`)).status()).toBe(401);
      expect((await replay.request.get(`${portal.portalUrl}/fhir/Patient/${CHILDREN.leo.id}`)).status()).toBe(401);
    } finally {
      await replay.close();
    }

    // Reloading the app after sign-out shows the sign-in page, not the family.
    await maria.goto(`${portal.portalUrl}/`);
    await maria.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
  });
});

describe('family dashboard under ca-adolescent-split', () => {
  const signedIn = useSignedInPortal({ profile: 'ca-adolescent-split', username: 'maria' });
  let portal: RunningPortal;
  let browser: Browser;
  let maria: Page;
  beforeAll(() => {
    ({ portal, browser, page: maria } = signedIn());
  });

  test('Isabel is allow-listed for her guardian, and the younger children will be at 12', async () => {
    await openDashboard(maria, portal);
    expect((await cardNames(maria)).map((name) => name.trim())).toEqual(ALL_NAMES);

    const isabel = await cardText(maria, CHILDREN.isabel.name);
    expect(isabel).toContain('Age 15 years');
    expect(isabel).toContain('Partial online access');
    expect(isabel).toContain('see only part of the record online');
    expect(isabel).toContain('You can still:');
    expect(isabel).toContain('Send messages to the care team');
    expect(sensitiveHits(isabel)).toEqual([]);
    await childCard(maria, CHILDREN.isabel.name).getByRole('link', { name: "Open Isabel Rivera's record", exact: true }).waitFor();

    // Under this profile a guardian keeps part of the record at 12, so the coming change is "part", not "ends".
    const mateo = await cardText(maria, CHILDREN.mateo.name);
    expect(mateo).toContain('Full online access');
    expect(mateo).toContain(`From ${daysFromTodayLong(3, 'en-US')}, you will see only part of the record online.`);
    expect(mateo).not.toContain('Online access ends');

    expect(await cardText(maria, CHILDREN.leo.name)).toContain('Full online access');
    expect(await cardText(maria, CHILDREN.sofia.name)).toContain('Full online access');
    const elena = await cardText(maria, CHILDREN.elena.name);
    expect(elena).toContain('Full online access');
    expect(elena).toContain('You are the conservator');

    expect(await seriousAxeViolations(maria)).toEqual([]);
  });

  test('daniel, Isabel\'s second guardian, sees only Isabel, allow-listed', async () => {
    await withPage(browser, 'dashboard-daniel', async (daniel) => {
      await signIn(daniel, portal.portalUrl, 'daniel');
      await childCard(daniel, CHILDREN.isabel.name).waitFor();
      expect((await cardNames(daniel)).map((name) => name.trim())).toEqual([CHILDREN.isabel.name]);
      expect(await cardText(daniel, CHILDREN.isabel.name)).toContain('Partial online access');
    });
  });
});
