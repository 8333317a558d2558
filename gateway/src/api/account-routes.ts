/**
 * /api/account: the signed-in person's protective actions, both behind requireSession (so CSRF-checked: same origin
 * and the X-CSRF-Token header) and both ending with this browser signed out.
 *
 *  POST /sign-out-everywhere          ends every session of this fhirUser (every browser, every replica — the sessions
 *                                     live in the shared database) and revokes their tokens.
 *  POST /report-unauthorized-access   "Someone else accessed my account": blocks new sign-ins for this fhirUser until
 *                                     staff clear it (`npm run account:unblock -- <fhirUser>`), ends every session,
 *                                     revokes the tokens, records it in the audit trail, and answers with whom to call.
 *
 * The block is written before the sessions are ended, so a sign-in racing with the report cannot slip between them.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { SessionCookies } from '../session/cookies.ts';
import type { RevokeEnded } from '../session/revoke-ended.ts';
import type { Store } from '../store/types.ts';

export const UNAUTHORIZED_ACCESS_REASON = 'reported-unauthorized-access';

export interface AccountRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly cookies: SessionCookies;
  readonly profile: Pick<HospitalProfile, 'hospitalName' | 'himPhone'>;
  readonly revokeEnded: RevokeEnded;
  readonly logger: Logger;
}

/** The answer to both actions: this browser is signed out; after a report, also whom to call. */
export interface AccountActionResult {
  readonly signedIn: false;
  readonly loginUrl: string;
  readonly blocked?: true;
  readonly help?: { readonly hospitalName: string; readonly himPhone?: string };
}

export function createAccountRoutes(deps: AccountRouteDeps): Hono<GatewayEnv> {
  const { store, clock, cookies, revokeEnded, logger } = deps;
  const routes = new Hono<GatewayEnv>();

  routes.post('/sign-out-everywhere', async (c) => {
    const principal = c.get('principal');
    const ended = await store.sessions.deleteForUser(principal.fhirUser);
    // The current session belongs to the same fhirUser, so it is among them; delete it by id too, in case it is not.
    const current = await store.sessions.delete(c.get('session').id);
    cookies.clearSession(c);
    await revokeEnded(current === undefined ? ended : [...ended, current], 'sign-out-everywhere');
    logger.info('signed out everywhere', { requestId: c.get('requestId'), sessions: ended.length });
    const result: AccountActionResult = { signedIn: false, loginUrl: '/login' };
    return c.json(result);
  });

  routes.post('/report-unauthorized-access', async (c) => {
    const principal = c.get('principal');
    const now = new Date(clock.now()).toISOString();
    await store.accountBlocks.block({ fhirUser: principal.fhirUser, reason: UNAUTHORIZED_ACCESS_REASON, blockedAt: now });
    const ended = await store.sessions.deleteForUser(principal.fhirUser);
    const current = await store.sessions.delete(c.get('session').id);
    cookies.clearSession(c);
    await store.audit.append({
      id: randomUUID(),
      recorded: now,
      requestId: c.get('requestId'),
      actor: principal.fhirUser,
      action: 'account-block',
      query: 'POST /api/account/report-unauthorized-access',
      outcome: 'allowed',
      returned: [],
      withheld: [],
      reasons: [UNAUTHORIZED_ACCESS_REASON],
    });
    await revokeEnded(current === undefined ? ended : [...ended, current], 'account-blocked');
    logger.warn('unauthorized access reported: account blocked', { requestId: c.get('requestId'), sessions: ended.length });
    const result: AccountActionResult = {
      signedIn: false,
      loginUrl: '/login',
      blocked: true,
      help: { hospitalName: deps.profile.hospitalName, ...(deps.profile.himPhone === undefined ? {} : { himPhone: deps.profile.himPhone }) },
    };
    return c.json(result);
  });

  return routes;
}
