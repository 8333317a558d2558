/** When a failed email is tried again: exponential backoff from 30 s, capped at an hour, given up after MAX_ATTEMPTS. */
export const MAX_EMAIL_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/** The time of the next attempt after `attempts` failed ones, or undefined when it is time to give up. */
export function nextAttemptAt(now: number, attempts: number, maxAttempts = MAX_EMAIL_ATTEMPTS): number | undefined {
  if (attempts >= maxAttempts) return undefined;
  return now + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}
