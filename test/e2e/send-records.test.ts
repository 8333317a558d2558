/**
 * Issue 13 end to end in Chromium, at 360 px: maria sends Leo's (the infant's) discharge document to a doctor's
 * Direct address → the message with the attachment reaches the local SMTP server (no health information in the
 * subject) → it shows as delivered in "Sent records". A foreign address is refused with everything kept. She asks
 * HIM for a complete copy and sees it requested, with the HIM phone as a tel: link. No serious axe violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startDevMailServer, type DevMailServer } from '../../sandbox/src/smtp/dev-mail-server.ts';
import { launchChromium } from '../support/chromium.ts';
import { newPage, screenshotIfFailed, signIn, startPortal, type RunningPortal } from './support/portal.ts';

let portal: RunningPortal;
let browser: Browser;
let maria: Page;
let mail: DevMailServer;
const TO = 'dr.lee@direct.eastside-pediatrics.example';

beforeAll(async () => {
  mail = await startDevMailServer();
  [portal, browser] = await Promise.all([startPortal({ profile: 'ca-strict', env: { SMTP_URL: mail.smtpUrl } }), launchChromium()]);
  maria = await newPage(browser, 'phone');
  await signIn(maria, portal.portalUrl, 'maria');
});
afterEach(async ({ task }) => {
  if (maria !== undefined) await screenshotIfFailed(maria, task);
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await mail?.close();
});

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.filter((n) => JSON.stringify(n.target).includes('sprout-sharing')).map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)}`));
}

const section = (page: Page, heading: string) => page.locator('sprout-sharing section').filter({ has: page.getByRole('heading', { name: heading, level: 2 }) });

describe('sending records', () => {
  test("maria sends Leo's discharge document over Direct; it arrives and shows in Sent records", async () => {
    await maria.getByRole('link', { name: 'Share records' }).click();
    await maria.getByRole('heading', { name: 'Share records', level: 1 }).waitFor();
    const send = section(maria, 'Send records to another doctor');
    await send.getByLabel('Child').selectOption('leo-rivera');
    await send.getByLabel(/Emergency department discharge instructions/).check();
    await send.getByLabel("The doctor's Direct address").fill('dr.lee@gmail.com');
    await send.getByLabel('Note for the doctor (optional)').fill('For Leo’s visit on Monday.');
    expect(await seriousAxeViolations(maria)).toEqual([]);
    expect(await maria.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await send.getByRole('button', { name: 'Continue' }).click();
    await send.getByRole('button', { name: 'Send records' }).click();
    // A foreign address: refused, everything kept.
    await expect.poll(() => send.getByRole('alert').textContent()).toContain('not a Direct address the hospital can send records to');
    expect(await send.getByLabel('Note for the doctor (optional)').inputValue()).toBe('For Leo’s visit on Monday.');
    expect(await send.getByLabel(/Emergency department discharge instructions/).isChecked()).toBe(true);

    await send.getByLabel("The doctor's Direct address").fill(TO);
    await send.getByRole('button', { name: 'Continue' }).click();
    expect(await seriousAxeViolations(maria)).toEqual([]);
    await send.getByRole('button', { name: 'Send records' }).click();
    await send.getByText('Sent. You can follow its delivery under Sent records.').waitFor();

    const received = await mail.waitFor((m) => m.to.includes(TO), 30_000);
    expect(received.subject).not.toMatch(/Leo|Rivera|discharge|bronchiolitis/i);
    expect(received.attachments.length).toBe(1);
    expect(received.attachments[0]?.content.toString('utf8')).toMatch(/\S/);
    expect(received.text).toContain('For Leo’s visit on Monday.');

    await expect.poll(async () => {
      await maria.reload();
      return section(maria, 'Sent records').textContent();
    }, { timeout: 30_000 }).toMatch(/dr\.lee@direct\.eastside-pediatrics\.example[\s\S]*Emergency department discharge instructions[\s\S]*Delivered/);
  });

  test('maria asks HIM for a complete copy and sees it requested, beside the HIM phone', async () => {
    await maria.goto(`${portal.portalUrl}/sharing`);
    const copy = section(maria, 'Request a complete copy');
    const phone = copy.getByRole('link', { name: /\(\d{3}\) \d{3}-\d{4}/ });
    expect(await phone.getAttribute('href')).toMatch(/^tel:\+?\d{10,11}$/);
    await copy.getByLabel('Child').selectOption('sofia-rivera');
    await copy.getByLabel('Street address').fill('418 Orchard Lane');
    await copy.getByLabel('City').fill('Orange');
    await copy.getByLabel('ZIP code').fill('92866');
    await copy.getByRole('button', { name: 'Continue' }).click();
    await copy.getByRole('button', { name: 'Send request' }).click();
    await copy.getByText('Your request was sent to Health Information Management.').waitFor();
    await expect.poll(() => copy.textContent()).toMatch(/Sofia Rivera[\s\S]*Requested/);
  });
});
