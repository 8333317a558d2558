/**
 * Issue 11 end to end in Chromium, on real parts: the portal (gateway + built app) over the sandbox EHR, with the
 * development SMTP server as the portal's SMTP_URL. maria writes about the infant with a PDF attached → dr.shah sees
 * it in the sandbox EHR's clinician inbox and replies → the "new message" email reaches the SMTP server (no health
 * information in it) → maria opens the reply. The teen's private thread never shows to maria. Spanish at 360 px.
 * axe finds no serious or critical violations on the inbox, compose and thread.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDevMailServer, type DevMailServer } from '../../sandbox/src/smtp/dev-mail-server.ts';
import { launchChromium } from '../support/chromium.ts';
import { newPage, signIn, startPortal, type RunningPortal } from './support/portal.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('secure messaging, maria → dr.shah → email → maria', () => {
  let mail: DevMailServer;
  let portal: RunningPortal;
  let browser: Browser;
  beforeAll(async () => {
    mail = await startDevMailServer();
    [portal, browser] = await Promise.all([startPortal({ profile: 'ca-strict', env: { SMTP_URL: mail.smtpUrl } }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await mail?.close();
  });

  test('the whole loop', async () => {
    const subject = `Rash on Leo's arm ${Date.now()}`;
    const maria = await newPage(browser);
    await signIn(maria, portal.portalUrl, 'maria');
    await maria.getByRole('link', { name: 'Messages' }).click();
    await maria.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
    await maria.getByRole('link', { name: /Leo's feeding schedule/ }).waitFor();
    expect(await maria.locator('sprout-messages').innerText()).not.toContain('Question about my visit');
    expect(await seriousAxeViolations(maria)).toEqual([]);

    await maria.getByRole('link', { name: 'New message' }).click();
    await maria.getByText('If this is an emergency, call 911.', { exact: false }).waitFor();
    await maria.getByLabel('About', { exact: true }).selectOption({ label: 'Leo Rivera' });
    await maria.getByLabel('To', { exact: true }).selectOption({ label: 'Dr. Priya Shah, Pediatrics' });
    await maria.getByLabel('Subject', { exact: true }).fill(subject);
    await maria.getByLabel('Message', { exact: true }).fill('Leo has a small red rash on his arm since this morning. <b>Photo report attached.</b>');
    await maria.getByLabel(/Attachments/).setInputFiles({ name: 'rash-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await maria.getByText('rash-report.pdf').waitFor();
    expect(await seriousAxeViolations(maria)).toEqual([]);
    await maria.getByRole('button', { name: 'Send' }).click();
    await maria.waitForURL((url) => /^\/messages\/[A-Za-z0-9.-]+$/.test(url.pathname) && url.pathname !== '/messages/new');
    await maria.getByRole('heading', { name: subject, level: 1 }).waitFor();
    // Markup typed into a message is shown as text.
    await maria.getByText('<b>Photo report attached.</b>', { exact: false }).waitFor();
    await maria.getByRole('link', { name: 'rash-report.pdf' }).waitFor();

    // dr.shah answers in the sandbox EHR's clinician inbox.
    const shah = await newPage(browser);
    await shah.goto(`${portal.sandbox.url}/ehr/sign-in`);
    await shah.getByLabel('Username').fill('dr.shah');
    await shah.getByLabel('Password').fill(portal.sandbox.password);
    await shah.getByRole('button', { name: 'Sign in' }).click();
    await shah.getByRole('link', { name: 'Messages' }).first().click();
    await shah.getByRole('link', { name: subject }).click();
    await shah.getByText('rash-report.pdf').waitFor();
    await shah.getByLabel('Message', { exact: true }).fill('Thanks Maria. That looks like mild eczema; use a fragrance-free moisturiser twice a day.');
    await shah.getByRole('button', { name: 'Send reply' }).click();
    await shah.getByText('fragrance-free moisturiser').waitFor();

    // The gateway notices the reply and emails maria (no health information).
    const email = await mail.waitFor((m) => m.envelopeTo.includes('maria.rivera@example.org'), 60_000);
    expect(email.subject).toBe('You have a new message in Sprout');
    expect(email.text).toContain(`${portal.portalUrl}/messages`);
    expect(email.text).not.toMatch(/eczema|rash|Leo|Shah/i);

    // maria opens the reply.
    await maria.goto(`${portal.portalUrl}/messages`);
    const thread = maria.getByRole('link', { name: new RegExp(subject) });
    await thread.waitFor();
    await thread.click();
    await maria.getByText('fragrance-free moisturiser', { exact: false }).waitFor();
    await maria.getByText('Dr. Priya Shah, Pediatrics', { exact: false }).first().waitFor();
    expect(await seriousAxeViolations(maria)).toEqual([]);
    await maria.close();
    await shah.close();
  }, 180_000);

  test('Spanish at 360 px: compose with the emergency warning, no horizontal scroll, axe clean', async () => {
    const page = await newPage(browser, 'phone', { locale: 'es-ES' });
    await signIn(page, portal.portalUrl, 'maria');
    await page.goto(`${portal.portalUrl}/messages/new`);
    await page.getByText('Si es una emergencia, llame al 911.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'Mensaje nuevo', level: 1 }).waitFor();
    await page.getByLabel('Sobre', { exact: true }).waitFor();
    // Nothing of the messaging page reaches past the 360 px viewport (the shell's header is the shell's own test).
    const widest = await page.locator('sprout-messages').evaluate((host) => {
      let right = host.getBoundingClientRect().right;
      for (const el of host.shadowRoot?.querySelectorAll('*') ?? []) right = Math.max(right, el.getBoundingClientRect().right);
      return right;
    });
    expect(widest).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${portal.portalUrl}/messages`);
    await page.getByRole('heading', { name: 'Mensajes', level: 1 }).waitFor();
    await page.getByRole('group', { name: 'Avisos por correo electrónico' }).waitFor();
    expect(await page.locator('sprout-messages').innerText()).not.toContain('Question about my visit');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  }, 120_000);
});
