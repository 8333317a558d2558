/**
 * A small in-process cache for the authorization server's public metadata (SMART discovery documents, JWKS): entries
 * live `ttlMs`, at most `maxEntries` are kept (oldest dropped first), concurrent loads of one key share one fetch,
 * and a failed load is not remembered (the next caller tries again). Only public documents go in here — never tokens.
 */
export interface TtlCache<V> {
  /** The cached value while fresh, else the result of `load` (shared by concurrent callers). */
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** When the cached value was loaded (epoch ms), or undefined. */
  loadedAt(key: string): number | undefined;
  invalidate(key: string): void;
}

export function createTtlCache<V>(options: { readonly ttlMs: number; readonly maxEntries: number; readonly now: () => number }): TtlCache<V> {
  const entries = new Map<string, { readonly value: Promise<V>; loadedAt: number }>();
  return {
    get(key, load) {
      const now = options.now();
      const entry = entries.get(key);
      if (entry !== undefined && now - entry.loadedAt < options.ttlMs) return entry.value;
      entries.delete(key);
      if (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      const value = load();
      const fresh = { value, loadedAt: now };
      entries.set(key, fresh);
      value.then(
        () => {
          fresh.loadedAt = Math.max(fresh.loadedAt, options.now());
        },
        () => {
          if (entries.get(key) === fresh) entries.delete(key);
        },
      );
      return value;
    },
    loadedAt(key) {
      return entries.get(key)?.loadedAt;
    },
    invalidate(key) {
      entries.delete(key);
    },
  };
}
