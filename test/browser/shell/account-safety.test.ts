/**
 * "Account safety" in the header: sign out everywhere and "someone else used my account", each behind a confirmation
 * dialog, posted with the session's CSRF token; after a report the dialog says whom to call (a tel: link); English and
 * Spanish; keyboard and axe clean.
 */
import { describe, expect, it } from 'vitest';
import { deepText, openApp, poll, seriousAxeViolations, useAppServer } from './app-server.ts';
import { familySession } from './session-fixtures.ts';

const server = useAppServer();
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe('account safety', () => {
  it('signs out everywhere only after confirmation, with the CSRF token, and says so on the signed-out page', async () => {
    const { session } = familySession();
    const { page, gateway, errors } = await openApp(server(), '/', session);
    await page.getByRole('button', { name: 'Account safety' }).click();
    const dialog = page.getByRole('dialog', { name: 'Account safety' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
    const confirm = page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await poll(() => confirm.isVisible()).toBe(true);
    // The safe choice has focus; Cancel goes back without calling the gateway.
    await poll(() => page.evaluate(() => document.querySelector('sprout-app')?.shadowRoot?.querySelector('sprout-account-safety')?.shadowRoot?.activeElement?.textContent?.trim())).toBe('Cancel');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => page.getByRole('dialog', { name: 'Account safety' }).isVisible()).toBe(true);
    expect(gateway.requests.filter((r) => r.path.startsWith('/api/account/'))).toEqual([]);

    await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('dialog', { name: 'Sign out everywhere?' }).getByRole('button', { name: 'Sign out everywhere' }).click();
    await poll(() => pathOf(page.url())).toBe('/signed-out?reason=everywhere');
    const posted = gateway.requests.find((r) => r.path === '/api/account/sign-out-everywhere');
    expect(posted?.method).toBe('POST');
    expect(posted?.headers['x-csrf-token']).toBe(session.csrfToken);
    await poll(() => deepText(page)).toContain('You have signed out on every device.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reports unauthorized access in Spanish and says whom to call', async () => {
    const { session } = familySession();
    const { page, gateway } = await openApp(server(), '/', session, { savedLocale: 'es' });
    await page.getByRole('button', { name: 'Seguridad de la cuenta' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Otra persona usó mi cuenta' }).click();
    const confirm = page.getByRole('dialog', { name: '¿Informar que otra persona usó su cuenta?' });
    await poll(() => confirm.isVisible()).toBe(true);
    await confirm.getByRole('button', { name: 'Informar y pausar el inicio de sesión' }).click();
    const done = page.getByRole('dialog', { name: 'El inicio de sesión está en pausa' });
    await poll(() => done.isVisible()).toBe(true);
    const call = done.getByRole('link', { name: '(714) 509-8460' });
    expect(await call.getAttribute('href')).toBe('tel:7145098460');
    expect(await done.innerText()).toContain("Departamento de Administración de Información de Salud de CHOC Children's");
    expect(await seriousAxeViolations(page)).toEqual([]);
    const posted = gateway.requests.find((r) => r.path === '/api/account/report-unauthorized-access');
    expect(posted?.headers['x-csrf-token']).toBe(session.csrfToken);

    // Escape does not hide the result; "Listo" moves on to the signed-out page, which repeats what to do.
    await page.keyboard.press('Escape');
    expect(await done.isVisible()).toBe(true);
    await done.getByRole('button', { name: 'Listo' }).click();
    await poll(() => pathOf(page.url())).toBe('/signed-out?reason=reported');
    await poll(() => deepText(page)).toContain('El inicio de sesión en su cuenta está en pausa.');
    await page.close();
  });

  it('shows the gateway refusal inside the dialog and keeps the person signed in', async () => {
    const { session } = familySession();
    const { page, gateway } = await openApp(server(), '/', session);
    gateway.account = () => ({ status: 403, json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] } });
    await page.getByRole('button', { name: 'Account safety' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('dialog', { name: 'Sign out everywhere?' }).getByRole('button', { name: 'Sign out everywhere' }).click();
    await poll(() => page.getByRole('dialog').getByRole('alert').isVisible()).toBe(true);
    expect(pathOf(page.url())).toBe('/');
    await page.close();
  });
});
