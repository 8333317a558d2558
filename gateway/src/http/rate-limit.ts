/**
 * A fixed-window rate limiter per client address, for the unauthenticated sign-in routes (/login, /launch,
 * /callback): each of them creates server-side state or calls the EHR, so a flood must stop at the gateway.
 *
 * The counts live in this process's memory, bounded to `maxKeys` addresses (the oldest are forgotten first). With
 * several gateway replicas each replica counts on its own, so the effective limit is up to replicas × limit; that is
 * deliberate (no shared state that matters, no database write per anonymous request) and documented in
 * docs/security.md. Nothing about a signed-in session depends on it.
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface RateLimitSettings {
  /** Requests allowed per address per window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Addresses remembered at most (memory bound). */
  readonly maxKeys?: number;
}

export type RateLimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string, now: number): RateLimitVerdict;
}

const DEFAULT_MAX_KEYS = 10_000;

export function createRateLimiter(settings: RateLimitSettings): RateLimiter {
  const { limit, windowMs } = settings;
  const maxKeys = settings.maxKeys ?? DEFAULT_MAX_KEYS;
  if (!(limit >= 1) || !(windowMs > 0) || !(maxKeys >= 1)) throw new Error('createRateLimiter: limit, window and maxKeys must be positive');
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now) {
      let window = windows.get(key);
      if (window === undefined || now - window.start >= windowMs) {
        windows.delete(key); // re-inserted last: Map order is then oldest window first
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next();
          if (oldest.done !== true) windows.delete(oldest.value);
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) };
      }
      window.count += 1;
      return { allowed: true };
    },
  };
}

/** The Node server's socket, when there is one (`app.request` in tests has none). */
interface NodeBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } };
}

/**
 * The client's address. With `trustProxy` (the portal sits behind a reverse proxy that appends to X-Forwarded-For),
 * the last X-Forwarded-For entry — the address the nearest proxy saw; earlier entries are the client's own claims.
 * Otherwise the socket's remote address. "unknown" when neither exists.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For');
    const last = forwarded?.split(',').map((s) => s.trim()).filter((s) => s !== '').at(-1);
    if (last !== undefined) return last.slice(0, 64);
  }
  const bindings = c.env as NodeBindings | undefined;
  return bindings?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function rateLimit(options: {
  readonly limiter: RateLimiter;
  readonly now: () => number;
  readonly keyOf: (c: Context) => string;
  readonly onLimited: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>;
}): MiddlewareHandler {
  return async function applyRateLimit(c, next) {
    const verdict = options.limiter.take(options.keyOf(c), options.now());
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return options.onLimited(c, verdict.retryAfterSeconds);
    }
    await next();
  };
}
