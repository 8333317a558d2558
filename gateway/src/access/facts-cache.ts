/**
 * The policy facts of a signed-in session (the principal's own resource and linked RelatedPersons; per patient the
 * Patient, its RelatedPersons and Consents), kept for a bounded time so every request of a page does not read them
 * from the EHR again. Only facts are kept, never decisions: the policy core decides again on every request with that
 * request's clock, so ages, release holds and `validUntil` (local midnight) are always evaluated per request.
 *
 * Bound: a fact is served only while `now - loadedAt < ttlMs`, where `loadedAt` is the request clock when its upstream
 * read *started* (so the bound is conservative) and `now` is the asking request's clock. A Consent revoked or a grant
 * ended upstream therefore takes effect at the latest `ttlMs` after the change. A clock that reads earlier than
 * `loadedAt` (time moved backwards) also reloads. ttlMs = 0 turns the cache off.
 *
 * Scope: per replica, in memory, keyed by session id + principal + FHIR base, so one session never sees another's
 * facts (each was read with that session's own token). With two replicas each keeps its own copy; neither can be more
 * stale than the bound. Size: at most `maxSessions` sessions (least recently used dropped first) and at most
 * MAX_FACTS_PER_SESSION facts in each. A failed load is never kept (the next request reads again and fails closed).
 */

/** Facts kept per session at most (the principal + the patients of one family): more is dropped oldest-first. */
export const MAX_FACTS_PER_SESSION = 64;

export interface FactsCacheOptions {
  /** How long a fact is served after its read started, in milliseconds (0 = no caching). */
  readonly ttlMs: number;
  /** Sessions kept at most; the least recently used are dropped first. */
  readonly maxSessions: number;
}

/** One session's facts (see FactsCache.forSession). */
export interface SessionFacts {
  /**
   * The fact under `key` as loaded at most ttl ago (by the clock `now`), or a fresh `load()` that is then kept.
   * Concurrent callers share one load in flight.
   */
  get<T>(key: string, now: number, load: () => Promise<T>): Promise<T>;
}

interface Entry {
  readonly loadedAt: number;
  readonly value: Promise<unknown>;
}

export interface FactsCache {
  /** The facts of one session; `sessionKey` must identify the session, its principal and its FHIR base. */
  forSession(sessionKey: string): SessionFacts;
  /** Sessions currently holding facts (for tests and the load bench's memory accounting). */
  readonly size: number;
}

export function createFactsCache(options: FactsCacheOptions): FactsCache {
  const { ttlMs, maxSessions } = options;
  if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new Error('The facts cache time must be zero or more milliseconds.');
  if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new Error('The facts cache must hold at least one session.');
  const sessions = new Map<string, Map<string, Entry>>();

  function factsOf(sessionKey: string): Map<string, Entry> {
    let facts = sessions.get(sessionKey);
    if (facts === undefined) {
      facts = new Map();
      while (sessions.size >= maxSessions) {
        const oldest = sessions.keys().next().value as string;
        sessions.delete(oldest);
      }
    } else {
      sessions.delete(sessionKey); // re-inserted below: most recently used last
    }
    sessions.set(sessionKey, facts);
    return facts;
  }

  return {
    get size() {
      return sessions.size;
    },
    forSession(sessionKey) {
      return {
        get<T>(key: string, now: number, load: () => Promise<T>): Promise<T> {
          if (ttlMs === 0) return load();
          const facts = factsOf(sessionKey);
          const kept = facts.get(key);
          if (kept !== undefined && now >= kept.loadedAt && now - kept.loadedAt < ttlMs) return kept.value as Promise<T>;
          facts.delete(key);
          const value = load();
          const entry: Entry = { loadedAt: now, value };
          while (facts.size >= MAX_FACTS_PER_SESSION) facts.delete(facts.keys().next().value as string);
          facts.set(key, entry);
          value.catch(() => {
            // Never keep a failure: the next request reads again (and fails closed again if the EHR still fails).
            if (facts.get(key) === entry) facts.delete(key);
          });
          return value;
        },
      };
    },
  };
}

/** The key of one session's facts: the session, the principal it acts as and the EHR it reads. */
export function sessionFactsKey(sessionId: string, principalReference: string, fhirBaseUrl: string): string {
  return `${sessionId}\n${principalReference}\n${fhirBaseUrl}`;
}
