/**
 * Session lifecycle in the shell: sign-in landing when there is no session, sign out with the CSRF header,
 * the idle-timeout warning and keepalive, and the automatic sign-out when the idle time runs out.
 */
import { describe, expect, it } from 'vitest';
import { deepText, openApp, poll, useAppServer } from './app-server.ts';
import { familySession } from './session-fixtures.ts';

const server = useAppServer();

describe('signed out', () => {
  it('shows the sign-in landing, in either language, when the gateway has no session', async () => {
    const { page, errors } = await openApp(server(), '/patient/school-1', { signedIn: false, loginUrl: '/login' });
    const signIn = page.getByRole('link', { name: 'Sign in' });
    expect(await signIn.getAttribute('href')).toBe('/login');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Español' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Le damos la bienvenida a Sprout');
    expect(await page.getByRole('link', { name: 'Iniciar sesión' }).getAttribute('href')).toBe('/login');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('treats a 401 from /api/session as signed out', async () => {
    const { page } = await openApp(server(), '/', { status: 401 });
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome to Sprout');
    await page.close();
  });

  it('explains an idle sign-out on /signed-out without asking the gateway for a session', async () => {
    const { page, gateway } = await openApp(server(), '/signed-out?reason=idle', familySession().session);
    expect(await page.getByRole('status').filter({ hasText: 'privacy' }).innerText()).toContain('after a time without activity');
    expect(gateway.requests.filter((request) => request.path.startsWith('/api/session'))).toEqual([]);
    await page.close();
  });
});

describe('sign out', () => {
  it('posts /logout with the session CSRF token, then lands on the signed-out page', async () => {
    const { session } = familySession();
    const { page, gateway } = await openApp(server(), '/', session);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe('/signed-out?reason=signed-out');
    const logout = gateway.requests.find((request) => request.path === '/logout');
    expect(logout?.method).toBe('POST');
    expect(logout?.headers['x-csrf-token']).toBe(session.csrfToken);
    await poll(() => deepText(page)).toContain('You have signed out.');
    await page.close();
  });
});

describe('idle timeout', () => {
  it('warns a minute before the idle logout; "Stay signed in" calls keepalive with the CSRF token and closes the dialog', async () => {
    const { session } = familySession(new Date(), { idleExpiresAt: Date.now() + 45_000 });
    const { page, gateway } = await openApp(server(), '/', session);
    const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
    await poll(() => dialog.isVisible()).toBe(true);
    // It counts down ("0:44", "0:43" …), never a clock time like "9:41 PM".
    const timer = dialog.getByRole('timer');
    const first = await timer.innerText();
    expect(first).toMatch(/^0:[0-5]\d$/);
    expect(await dialog.innerText()).not.toMatch(/\b(AM|PM)\b| at \d/);
    await poll(() => timer.innerText()).not.toBe(first);
    // Focus starts on the safe action inside the modal dialog.
    await poll(() => page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.textContent?.trim();
    })).toBe('Stay signed in');

    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    const keepalive = gateway.requests.find((request) => request.path === '/api/session/keepalive');
    expect(keepalive?.method).toBe('POST');
    expect(keepalive?.headers['x-csrf-token']).toBe(session.csrfToken);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('signs out and says why when the idle time runs out', async () => {
    const { session } = familySession(new Date(), { idleExpiresAt: Date.now() + 3_000 });
    const { page, gateway } = await openApp(server(), '/', session);
    await poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe('/signed-out?reason=idle');
    expect(gateway.requests.some((request) => request.path === '/logout' && request.method === 'POST')).toBe(true);
    await poll(() => deepText(page)).toContain('we signed you out after a time without activity');
    await page.close();
  });

  it('sends an expired session to the signed-out page when a data call gets 401', async () => {
    const { session } = familySession();
    const { page } = await openApp(server(), '/', session);
    // (A fulfil that loses the race with page teardown is not this test's subject; its assertions below are.)
    await page.route(/\/fhir\//, (route) => route.fulfill({ status: 401, json: { resourceType: 'OperationOutcome', issue: [] } }).catch(() => undefined));
    // Any element's fetchFhir call that meets 401 ends the visit the same way.
    // (A string, so the test runner does not rewrite the browser's dynamic import.)
    await page.evaluate("import('/src/api/gateway-client.ts').then((client) => client.fetchFhir('Patient/school-1')).catch(() => undefined)");
    await poll(() => new URL(page.url()).search).toBe('?reason=expired');
    await page.close();
  });
});
