/**
 * Every end of a session revokes its tokens at the authorization server (RFC 7009, where discovery advertised a
 * `revocation_endpoint`): sign-out, idle timeout, absolute lifetime (the sweep), a new sign-in replacing the browser's
 * session, "sign out everywhere", and an account blocked after a report of unauthorized access.
 *
 * The caller deletes the session first (a failed revocation must never keep a session alive) and passes what the
 * store returned. Revocation is best effort: failures are logged without tokens and never thrown.
 */
import type { Logger } from '../http/logger.ts';
import type { SmartEndpoints, SessionTokens } from './types.ts';

/** Why a session ended; logged, never shown. */
export type SessionEnd = 'logout' | 'idle' | 'lifetime' | 'replaced' | 'sign-out-everywhere' | 'account-blocked' | 'refused';

export interface TokenRevoker {
  revoke(endpoints: SmartEndpoints, tokens: SessionTokens): Promise<void>;
}

/** What revocation needs from an ended session (sessions returned by the store have at least this). */
export interface EndedSession {
  readonly tokens?: SessionTokens;
  readonly endpoints?: SmartEndpoints;
}

export type RevokeEnded = (sessions: readonly (EndedSession | undefined)[], why: SessionEnd) => Promise<void>;

export function createRevokeEnded(deps: { readonly smart: TokenRevoker; readonly logger: Logger }): RevokeEnded {
  return async function revokeEnded(sessions, why) {
    const withTokens = sessions.filter((s): s is EndedSession & Required<Pick<EndedSession, 'tokens' | 'endpoints'>> => s?.tokens !== undefined && s.endpoints !== undefined);
    if (withTokens.length === 0) return;
    const results = await Promise.allSettled(withTokens.map((s) => deps.smart.revoke(s.endpoints, s.tokens)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    deps.logger.info('session tokens revoked', { why, sessions: withTokens.length, failed });
  };
}
