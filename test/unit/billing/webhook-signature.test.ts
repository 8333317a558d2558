/** The payment webhook's signature check (gateway/src/billing/webhook-signature.ts) against the processor's signer. */
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../../gateway/src/billing/webhook-signature.ts';
import { signWebhook } from '../../../sandbox/src/payments/payment-processor.ts';

const SECRET = 'whsec_test-secret-of-enough-length';
const BODY = JSON.stringify({ id: 'evt_0123456789abcdef', type: 'checkout.completed', data: { status: 'approved' } });
const NOW = Date.parse('2026-12-04T12:00:00Z');
const T = NOW / 1000;

describe('webhook signature', () => {
  it('accepts what the sandbox processor signs, and the gateway signer agrees with it', () => {
    expect(signPayload(SECRET, T, BODY)).toBe(signWebhook(SECRET, T, BODY));
    expect(verifySignature(signWebhook(SECRET, T, BODY), BODY, SECRET, NOW)).toEqual({ ok: true, timestamp: T });
    // Several v1 values (a secret being rotated): one matching is enough.
    const rotated = `${signWebhook('whsec_old-secret-0000000', T, BODY)},v1=${signWebhook(SECRET, T, BODY).split('v1=')[1] ?? ''}`;
    expect(verifySignature(rotated, BODY, SECRET, NOW).ok).toBe(true);
  });

  it('refuses a forged body, a wrong secret, a missing or malformed header', () => {
    const header = signWebhook(SECRET, T, BODY);
    expect(verifySignature(header, BODY.replace('approved', 'declined'), SECRET, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(signWebhook('whsec_someone-else-entirely', T, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header.replace(`t=${T}`, `t=${T + 1}`), BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(undefined, BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'missing' });
    for (const bad of ['v1=abc', `t=${T}`, `t=x,v1=${'0'.repeat(64)}`, 'garbage', `t=${T},t=${T},v1=${'0'.repeat(64)}`]) {
      expect(verifySignature(bad, BODY, SECRET, NOW).ok).toBe(false);
    }
    expect(verifySignature(`t=${T},v1=short`, BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a correctly signed event older or newer than five minutes', () => {
    expect(verifySignature(signWebhook(SECRET, T - 301, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'late' });
    expect(verifySignature(signWebhook(SECRET, T + 301, BODY), BODY, SECRET, NOW)).toEqual({ ok: false, reason: 'late' });
    expect(verifySignature(signWebhook(SECRET, T - 299, BODY), BODY, SECRET, NOW).ok).toBe(true);
  });
});
