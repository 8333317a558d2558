/**
 * Accessibility of the shell in a real browser: axe (WCAG 2.2 AA + best practice, through shadow DOM) on the
 * dashboard in both languages, the sign-in landing and the idle dialog; landmarks and the skip link; no
 * sideways scrolling at 360 px.
 */
import { describe, expect, it } from 'vitest';
import { openApp, seriousAxeViolations, poll, useAppServer } from './app-server.ts';
import { familySession } from './session-fixtures.ts';

const server = useAppServer();

describe('accessibility', () => {
  it('dashboard has no serious or critical axe violations, in English and Spanish', async () => {
    const { session } = familySession(new Date(), { openServerMode: true });
    const { page } = await openApp(server(), '/', session);
    await poll(() => page.locator('sprout-child-card article').count()).toBe(session.patients.length);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Su familia');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The scan can fail: a nameless button deep in a card's shadow root is reported.
    await page.locator('sprout-child-card article').first().evaluate((article) => article.append(document.createElement('button')));
    expect((await seriousAxeViolations(page)).join('\n')).toMatch(/button-name/);
    await page.close();
  });

  it('sign-in landing has no serious or critical axe violations', async () => {
    const { page } = await openApp(server(), '/', { signedIn: false, loginUrl: '/login' });
    await poll(() => page.getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('idle warning dialog has no serious or critical axe violations', async () => {
    const { session } = familySession(new Date(), { idleExpiresAt: Date.now() + 50_000 });
    const { page } = await openApp(server(), '/', session);
    await poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('has landmarks, one h1, and a skip link that moves focus to the main content', async () => {
    const { session } = familySession();
    const { page } = await openApp(server(), '/', session);
    await poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await poll(() => skip.evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await poll(() => page.locator('main').evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.close();
  });

  it('fits a 360 px wide screen without sideways scrolling', async () => {
    const { session } = familySession(new Date(), { openServerMode: true });
    const { page } = await openApp(server(), '/', session, { width: 360 });
    await poll(() => page.locator('sprout-child-card article').count()).toBe(session.patients.length);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.close();
  });
});
