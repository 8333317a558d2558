/**
 * Issue 9 finding 3 and "also expected": every end of a session revokes its tokens (RFC 7009) — sign-out, idle
 * timeout, absolute lifetime (on a request and in the sweep), a new sign-in replacing the session, sign out everywhere,
 * and reporting unauthorized access (which also blocks new sign-ins until staff clear it, is audited, and says whom to
 * call). Pre-sign-in rows live 10 minutes.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { csrfTokenFor } from '../../../gateway/src/session/csrf.ts';
import { sessionLimits } from '../../../gateway/src/session/lifetime.ts';
import { createRevokeEnded } from '../../../gateway/src/session/revoke-ended.ts';
import { PENDING_SESSION_MS, sweepSessions } from '../../../gateway/src/session/sweep.ts';
import { createSmartClient } from '../../../gateway/src/smart/client.ts';
import type { AuditRecord } from '../../../gateway/src/store/types.ts';
import type { TestBrowser } from './support/browser.ts';
import { EHR_BASE } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';

const SESSION = '__Host-sprout';
const PRE_AUTH = '__Host-sprout-auth';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
});
afterAll(closeSharedStore);

/** A user id unique to this test run, so "every session of this user" never meets another test's sessions. */
let users = 0;
const newUser = () => `${EHR_BASE}/RelatedPerson/endings-${process.pid}-${(users += 1)}`;

async function signedIn(browser: TestBrowser, fhirUser?: string) {
  const res = await signIn(h, browser, fhirUser === undefined ? {} : { fhirUser });
  expect(res.status).toBe(303);
  const session = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
  if (session?.tokens === undefined) throw new Error('no signed-in session');
  return { session, csrf: csrfTokenFor(session), tokens: [session.tokens.accessToken, session.tokens.refreshToken ?? ''] };
}

const revoked = (tokens: readonly string[]) => tokens.every((t) => h.ehr.revoked.includes(t));

describe('every end of a session revokes its tokens', () => {
  it('sign-out', async () => {
    const browser = h.browser();
    const { csrf, tokens } = await signedIn(browser);
    expect((await browser.post('/logout', csrf)).status).toBe(200);
    expect(revoked(tokens)).toBe(true);
  });

  it('idle timeout, found on the next request', async () => {
    const browser = h.browser();
    const { tokens } = await signedIn(browser);
    h.clock.advance(20 * 60_000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
    // Revocation runs in the background once the 401 is answered (session-revocation-background.test.ts).
    await vi.waitFor(() => expect(revoked(tokens)).toBe(true));
  });

  it('absolute lifetime, found on the next request', async () => {
    const local = await createHarness({ env: { SESSION_MAX_HOURS: '1', SESSION_IDLE_MINUTES: '120' } });
    h = local;
    const browser = local.browser();
    const { tokens } = await signedIn(browser);
    local.clock.advance(60 * 60_000);
    expect((await browser.request('/api/session')).status).toBe(401);
    await vi.waitFor(() => expect(revoked(tokens)).toBe(true));
  });

  it('idle timeout and absolute lifetime, found by the sweep; pre-sign-in rows live 10 minutes', async () => {
    const idleBrowser = h.browser();
    const idle = await signedIn(idleBrowser);
    const pendingBrowser = h.browser();
    expect((await pendingBrowser.request('/login')).status).toBe(302);
    const pendingId = pendingBrowser.cookies.get(PRE_AUTH) ?? '';
    expect(await h.store.sessions.get(pendingId)).toBeDefined();
    const revokeEnded = createRevokeEnded({ smart: createSmartClient({ config: h.config, fetch: h.ehr.fetch, clock: h.clock }), logger: createLogger('silent') });
    const sweep = (limits = sessionLimits(h.config)) => sweepSessions({ store: h.store, limits, revokeEnded, logger: createLogger('silent') }, h.clock.now());

    h.clock.advance(PENDING_SESSION_MS - 1000);
    await sweep();
    expect(await h.store.sessions.get(pendingId)).toBeDefined();
    h.clock.advance(1001);
    await sweep();
    expect(await h.store.sessions.get(pendingId)).toBeUndefined(); // 10 minutes, not the 20-minute idle timeout
    expect(revoked(idle.tokens)).toBe(false);

    h.clock.advance(10 * 60_000);
    await sweep();
    expect(await h.store.sessions.get(idleBrowser.cookies.get(SESSION) ?? '')).toBeUndefined();
    expect(revoked(idle.tokens)).toBe(true);

    const lifetimeBrowser = h.browser();
    const lifetime = await signedIn(lifetimeBrowser);
    h.clock.advance(60_001);
    await sweep({ idleMs: 3_600_000, maxAgeMs: 60_000 });
    expect(await h.store.sessions.get(lifetimeBrowser.cookies.get(SESSION) ?? '')).toBeUndefined();
    expect(revoked(lifetime.tokens)).toBe(true);
  });

  it('a new sign-in in the same browser replaces the session', async () => {
    const browser = h.browser();
    const first = await signedIn(browser);
    const second = await signedIn(browser);
    expect(revoked(first.tokens)).toBe(true);
    expect(revoked(second.tokens)).toBe(false);
  });
});

describe('sign out everywhere', () => {
  it('ends every session of the signed-in person and revokes their tokens; other people stay signed in', async () => {
    const user = newUser();
    const phone = h.browser();
    const laptop = h.browser();
    const other = h.browser();
    const a = await signedIn(phone, user);
    const b = await signedIn(laptop, user);
    const c = await signedIn(other, newUser());

    expect((await laptop.post('/api/account/sign-out-everywhere', undefined)).status).toBe(403); // CSRF
    expect((await laptop.request('/fhir/Patient/p1')).status).toBe(200);

    const res = await laptop.post('/api/account/sign-out-everywhere', b.csrf);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedIn: false, loginUrl: '/login' });
    expect(laptop.cookies.has(SESSION)).toBe(false);
    expect((await phone.request('/fhir/Patient/p1')).status).toBe(401);
    expect(revoked([...a.tokens, ...b.tokens])).toBe(true);
    expect((await other.request('/fhir/Patient/p1')).status).toBe(200);
    expect(revoked(c.tokens)).toBe(false);
  });
});

describe('report unauthorized access', () => {
  it('blocks the account, ends and revokes every session, audits it, says whom to call; sign-in ends on a kind page until cleared', async () => {
    const user = newUser();
    const mine = h.browser();
    const stolen = h.browser();
    const a = await signedIn(mine, user);
    const b = await signedIn(stolen, user);
    const appended: AuditRecord[] = [];
    const append = h.store.audit.append.bind(h.store.audit);
    const spy = vi.spyOn(h.store.audit, 'append').mockImplementation(async (record) => {
      appended.push(record);
      await append(record);
    });
    try {
      expect((await mine.request('/api/account/report-unauthorized-access', { method: 'POST' })).status).toBe(403); // CSRF
      const res = await mine.post('/api/account/report-unauthorized-access', a.csrf);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        signedIn: false,
        loginUrl: '/login',
        blocked: true,
        help: { hospitalName: "CHOC Children's", himPhone: '(714) 509-8460' },
      });
    } finally {
      spy.mockRestore();
    }
    expect(await h.store.accountBlocks.isBlocked(user)).toBe(true);
    expect((await stolen.request('/fhir/Patient/p1')).status).toBe(401);
    expect(revoked([...a.tokens, ...b.tokens])).toBe(true);
    expect(appended).toEqual([
      expect.objectContaining({ actor: user, action: 'account-block', outcome: 'allowed', reasons: ['reported-unauthorized-access'] }),
    ]);

    // A new sign-in of the blocked account: the EHR says yes, the portal does not — and gives the tokens back.
    const again = h.browser();
    const login = await again.request('/login');
    const revokedBefore = h.ehr.revoked.length;
    const blocked = await again.request(h.ehr.approve(login.headers.get('location') ?? '', { fhirUser: user }));
    expect(blocked.status).toBe(403);
    expect(again.cookies.has(SESSION)).toBe(false);
    const html = await blocked.text();
    expect(html).toContain('<section lang="en">');
    expect(html).toContain('Sign-in is paused for this account');
    expect(html).toContain('<section lang="es">');
    expect(html).toContain('El inicio de sesión está en pausa para esta cuenta');
    expect(html).toContain('<a href="tel:7145098460">(714) 509-8460</a>');
    // The fresh tokens were revoked at once (the fake EHR forgets a revoked access token).
    const givenBack = h.ehr.revoked.slice(revokedBefore);
    expect(givenBack.map((t) => t.slice(0, 3)).sort()).toEqual(['at-', 'rt-']);
    expect(givenBack.some((t) => h.ehr.accessTokens.has(t))).toBe(false);

    // Other people are not affected; after staff clear the block the person can sign in again.
    expect((await signIn(h, h.browser(), { fhirUser: newUser() })).status).toBe(303);
    expect(await h.store.accountBlocks.clear(user)).toBe(true);
    expect((await signIn(h, h.browser(), { fhirUser: user })).status).toBe(303);
  });
});
