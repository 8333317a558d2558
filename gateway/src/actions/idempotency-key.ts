/**
 * The pure half of idempotency: which keys are acceptable, how an action's input is fingerprinted, and the stable
 * FHIR identifier an action puts on what it creates (so even a write whose answer was lost is never made twice:
 * the create is conditional on that identifier).
 */
import { createHash } from 'node:crypto';
import type { Identifier } from 'fhir/r4';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** 16–128 characters of URL-safe base64 or a UUID: enough entropy to be unguessable, short enough to index. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  const key = raw?.trim();
  return key !== undefined && KEY_PATTERN.test(key) ? key : undefined;
}

/** JSON with object keys sorted; byte arrays hashed in place, so large attachments cost a hash, not a copy. */
export function stableJson(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(`bytes:sha256:${createHash('sha256').update(value).digest('hex')}`);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function inputFingerprint(action: string, input: unknown): string {
  return createHash('sha256').update(action).update('\u0000').update(stableJson(input)).digest('base64url');
}

export const ACTION_IDENTIFIER_SYSTEM = 'urn:sprout:action';

/**
 * The identifier of the resource an action creates: one value per (person, key, role), without naming the person.
 * `role` distinguishes several resources created by one action ("communication", "binary-1", …).
 */
export function actionIdentifier(subject: string, key: string, role: string): Identifier {
  const value = createHash('sha256').update(`${subject}\u0000${key}\u0000${role}`).digest('base64url');
  return { system: ACTION_IDENTIFIER_SYSTEM, value };
}

/** The If-None-Exist search for that identifier. */
export function ifNoneExistFor(identifier: Identifier): string {
  return `identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`;
}
