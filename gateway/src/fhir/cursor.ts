/**
 * The facade's own paging cursors. The upstream's `next` link is never shown to the browser: it goes inside a cursor
 * that is encrypted and authenticated (AES-256-GCM — the GCM tag is the signature), under a key derived from the
 * session's secret (and the deployment's cursorKey, when configured). A cursor is bound to the session id, the
 * principal and the original query, and expires. Opening it is only the first check: the facade re-runs the whole
 * pipeline (refusals, per-patient decision, per-resource filter) for every page.
 *
 * Encrypted, not merely signed, so the upstream's paging state (offsets, server cursor ids) is not visible either.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface CursorPayload<Q> {
  readonly sessionId: string;
  readonly principal: string;
  /** The original (parsed, canonical) query; the page request is re-checked against it. */
  readonly query: Q;
  /** Upstream URL of the page to continue from (on the FHIR base; the upstream client refuses anything else). */
  readonly upstream: string;
  /** How many entries of that upstream page were already handed out (pages are cut where the visible count is met). */
  readonly skip: number;
  /**
   * Where the upstream search began and how many matches came before the `upstream` page: when the server's cached
   * search has expired (HAPI answers 410/404 for a gone `_getpages` id), the search is re-run from `first` and the
   * facade skips to `offset + skip`.
   */
  readonly first?: string;
  readonly offset?: number;
  /** Epoch milliseconds after which the cursor is refused. */
  readonly expiresAt: number;
}

const VERSION = 'c1';
const INFO = 'sprout/fhir-facade/cursor/v1';

function deriveKey(sessionSecret: string, cursorKey: string | undefined): Buffer {
  if (sessionSecret.length < 16) throw new Error('The session secret is too short to derive a cursor key.');
  return Buffer.from(hkdfSync('sha256', sessionSecret, cursorKey ?? 'sprout-fhir-cursor', INFO, 32));
}

export function sealCursor<Q>(payload: CursorPayload<Q>, sessionSecret: string, cursorKey?: string): string {
  const key = deriveKey(sessionSecret, cursorKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(VERSION));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/**
 * The payload, or undefined when the token is malformed, forged, from another session's key, or expired.
 * Callers still compare sessionId and principal with the current request.
 */
export function openCursor<Q>(token: string, sessionSecret: string, now: number, cursorKey?: string): CursorPayload<Q> | undefined {
  if (token.length > 16_384 || !token.startsWith(`${VERSION}.`)) return undefined;
  const raw = Buffer.from(token.slice(VERSION.length + 1), 'base64url');
  if (raw.length < 12 + 16 + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(sessionSecret, cursorKey), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    const payload = JSON.parse(text) as CursorPayload<Q>;
    if (typeof payload.expiresAt !== 'number' || payload.expiresAt <= now) return undefined;
    if (typeof payload.upstream !== 'string' || typeof payload.skip !== 'number' || payload.skip < 0) return undefined;
    if (payload.first !== undefined && typeof payload.first !== 'string') return undefined;
    if (payload.offset !== undefined && (typeof payload.offset !== 'number' || !Number.isInteger(payload.offset) || payload.offset < 0)) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
