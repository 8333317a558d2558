/**
 * The payment processor's webhook signature (the sandbox's hosted payment page signs the same way):
 *
 *   Sprout-Pay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * Verification is pure: the header, the raw body bytes, the shared secret and "now". It refuses a missing or
 * malformed header, a signature that does not match (compared in constant time), and a timestamp more than the
 * tolerance away from now (late, or from the future). Replays of a valid event are refused by its id, in the shell.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Sprout-Pay-Signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'late' };

export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export function verifySignature(header: string | undefined, body: string, secret: string, nowMs: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const match = /^\s*([a-z0-9]+)=([^\s,]+)\s*$/.exec(part);
    if (!match?.[1] || match[2] === undefined) return { ok: false, reason: 'malformed' };
    parts.set(match[1], [...(parts.get(match[1]) ?? []), match[2]]);
  }
  const t = parts.get('t');
  const signatures = parts.get('v1') ?? [];
  if (t?.length !== 1 || !/^\d{1,12}$/.test(t[0] ?? '') || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(t[0]);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const matches = signatures.some((hex) => /^[0-9a-f]{64}$/.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'mismatch' };
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'late' };
  return { ok: true, timestamp };
}
