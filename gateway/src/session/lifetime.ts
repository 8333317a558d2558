/**
 * Session lifetime rules, pure: a session ends after `idleMs` without activity or `maxAgeMs` after it began,
 * whichever comes first. Enforced server-side on every request; expired sessions are deleted.
 */
import type { Config } from '../config.ts';
import type { Session } from './types.ts';

export interface SessionLimits {
  readonly idleMs: number;
  readonly maxAgeMs: number;
}

export function sessionLimits(config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours'>): SessionLimits {
  return { idleMs: config.sessionIdleMinutes * 60_000, maxAgeMs: config.sessionMaxHours * 3_600_000 };
}

export function isSessionExpired(session: Session, now: number, limits: SessionLimits): boolean {
  return now - session.lastSeenAt >= limits.idleMs || now - session.createdAt >= limits.maxAgeMs;
}

/** When the idle timeout will end the session (never later than the absolute limit). */
export function idleExpiresAt(session: Session, limits: SessionLimits): number {
  return Math.min(session.lastSeenAt + limits.idleMs, session.createdAt + limits.maxAgeMs);
}
