/**
 * Clinician sign-in for the sandbox EHR's own pages: in-memory sessions behind an HttpOnly, SameSite=Strict cookie
 * scoped to /ehr, a per-session CSRF token that every form posts back, and an 8-hour lifetime. Only Practitioner
 * accounts (sandbox logins) may sign in; everyone shares the sandbox password.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SandboxAccount } from '../auth/accounts.ts';

export const EHR_COOKIE = 'sandbox_ehr';
const LIFETIME_MS = 8 * 60 * 60_000;

export interface EhrSession {
  readonly id: string;
  readonly practitioner: SandboxAccount;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

export class EhrSessions {
  readonly #sessions = new Map<string, EhrSession>();

  create(practitioner: SandboxAccount, now = Date.now()): EhrSession {
    const session = { id: randomBytes(32).toString('base64url'), practitioner, csrfToken: randomBytes(24).toString('base64url'), expiresAt: now + LIFETIME_MS };
    this.#sessions.set(session.id, session);
    return session;
  }

  fromRequest(req: IncomingMessage, now = Date.now()): EhrSession | undefined {
    const id = readCookie(req.headers.cookie, EHR_COOKIE);
    const session = id === undefined ? undefined : this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= now) {
      this.#sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function sessionCookie(id: string): string {
  return `${EHR_COOKIE}=${id}; Path=/ehr; HttpOnly; SameSite=Strict`;
}

export function clearedCookie(): string {
  return `${EHR_COOKIE}=; Path=/ehr; HttpOnly; SameSite=Strict; Max-Age=0`;
}

export function csrfMatches(session: EhrSession, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
