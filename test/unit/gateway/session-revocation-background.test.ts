/**
 * Issue 9 loose ends:
 * - a refresh the EHR refuses ends the session AND revokes its still-valid access token;
 * - a session found idle on a request is answered 401 at once: revocation (up to the token endpoint's deadline) runs in
 *   the background, tracked until it settles, and a failure is logged.
 * The authorization server's revocation endpoint is held open by the test, so "at once" is shown without any timing.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackgroundRevocation } from '../../../gateway/src/session/background-revocation.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import type { FakeEhr } from './support/fake-ehr.ts';
import { EHR_ORIGIN } from './support/fake-ehr.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';

const SESSION = '__Host-sprout';

/** Holds every call to the revocation endpoint until `release()`; `done` settles when the held calls have gone through. */
function holdRevocations() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const calls: Promise<Response>[] = [];
  const wrap = (ehrFetch: FakeEhr['fetch']): FakeEhr['fetch'] => async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== `${EHR_ORIGIN}/oidc/revoke`) return ehrFetch(input, init);
    const call = gate.then(() => ehrFetch(input, init));
    calls.push(call);
    return call;
  };
  return { wrap, calls, release: () => open(), done: () => Promise.all(calls) };
}

let h: Harness;
let held: ReturnType<typeof holdRevocations>;
beforeEach(async () => {
  held = holdRevocations();
  h = await createHarness({ wrapFetch: held.wrap });
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
});
afterAll(closeSharedStore);

async function signedInTokens(browser: ReturnType<Harness['browser']>) {
  expect((await signIn(h, browser)).status).toBe(303);
  const session = await h.store.sessions.get(browser.cookies.get(SESSION) ?? '');
  if (session?.tokens?.refreshToken === undefined) throw new Error('no signed-in session with a refresh token');
  return { id: session.id, access: session.tokens.accessToken, refresh: session.tokens.refreshToken };
}

describe('a refresh the EHR refuses', () => {
  it('deletes the session and revokes its still-valid access token', async () => {
    h.ehr.accessTokenLifetimeSeconds = 300;
    const browser = h.browser();
    const tokens = await signedInTokens(browser);
    h.ehr.refreshTokens.set(tokens.refresh, true); // e.g. revoked at the EHR by staff
    h.clock.advance(5 * 60 * 1000 - 10_000); // inside the refresh skew: the access token is still valid at the EHR
    expect(h.ehr.accessTokens.get(tokens.access)).toBeGreaterThan(h.clock.now());

    expect((await browser.request('/fhir/Patient/p1')).status).toBe(401);
    expect(await h.store.sessions.get(tokens.id)).toBeUndefined();
    expect(held.calls.length).toBeGreaterThan(0); // revocation started, not awaited by the answer
    held.release();
    await held.done();
    expect(h.ehr.revoked).toContain(tokens.access);
    expect(h.ehr.accessTokens.has(tokens.access)).toBe(false);
  });
});

describe('a session found idle on a request', () => {
  it('answers 401 while the revocation is still in flight, then revokes both tokens', async () => {
    const browser = h.browser();
    const tokens = await signedInTokens(browser);
    h.clock.advance(20 * 60_000);

    const res = await browser.request('/api/session');
    expect(res.status).toBe(401); // answered while the authorization server has not answered the revocation yet
    expect(held.calls.length).toBe(2);
    expect(h.ehr.revoked).toEqual([]);
    expect(await h.store.sessions.get(tokens.id)).toBeUndefined();

    held.release();
    await held.done();
    expect(h.ehr.revoked).toEqual(expect.arrayContaining([tokens.access, tokens.refresh]));
  });
});

describe('background revocation', () => {
  const ended = { tokens: { accessToken: 'a', tokenType: 'Bearer', accessTokenExpiresAt: 1, scope: '' }, endpoints: { tokenEndpoint: 'https://x/token' } } as never;

  it('tracks each revocation until it settles', async () => {
    let finish!: () => void;
    const answer = new Promise<void>((resolve) => (finish = resolve));
    const revocation = createBackgroundRevocation({ revokeEnded: () => answer, logger: createLogger('silent') });
    revocation.start([ended], 'idle');
    expect(revocation.pending).toBe(1);
    const settled = revocation.settled();
    finish();
    await settled;
    expect(revocation.pending).toBe(0);
  });

  it('logs a failure instead of losing it', async () => {
    const lines: string[] = [];
    const revocation = createBackgroundRevocation({ revokeEnded: () => Promise.reject(new TypeError('boom')), logger: createLogger('debug', (line) => lines.push(line)) });
    revocation.start([ended], 'refused');
    await revocation.settled();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'error', message: 'background token revocation failed', why: 'refused', error: 'TypeError' }),
    ]);
  });

  it('starts nothing for sessions without tokens', () => {
    const revocation = createBackgroundRevocation({ revokeEnded: () => Promise.reject(new Error('must not run')), logger: createLogger('silent') });
    revocation.start([undefined, {}], 'idle');
    expect(revocation.pending).toBe(0);
  });
});
