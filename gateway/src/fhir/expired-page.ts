/**
 * Re-opening an upstream search whose cached pages have expired.
 *
 * Servers that page from a cached result set (HAPI: `{base}?_getpages=<id>&_getpagesoffset=…&_count=…`) forget it
 * after a while and answer 410 (or 404) for its pages. A facade cursor remembers where the upstream search began
 * (`first`) and how many matches came before its page (`offset`), so the facade re-runs the search and skips to the
 * same match: on HAPI-style links by moving `_getpagesoffset` on the fresh search's link (one extra read), elsewhere by
 * walking its next links. Matches are counted the way the facade pages them (includes and outcomes do not count).
 * Everything read this way is judged again like any other page; a result set that changed meanwhile can only shift
 * what is shown, never show what is hidden.
 */
import type { Bundle } from 'fhir/r4';
import { FacadeError } from './outcome.ts';
import { pagedEntryKind } from './upstream-entries.ts';

export interface ReopenedPage {
  /** The upstream page now holding the match at the target offset (or the last page, if the search shrank). */
  readonly url: string;
  /** Matches before that page. */
  readonly offset: number;
  readonly bundle: Bundle;
  /** Upstream pages read to get there. */
  readonly pagesRead: number;
}

export interface ReopenDeps {
  readonly read: (url: string) => Promise<Bundle>;
  /** The page's next link as the facade follows it (checked to be on the FHIR base), or undefined. */
  readonly next: (bundle: Bundle) => string | undefined;
  /** Upstream pages this re-run may read before the request fails closed as too costly. */
  readonly maxPages: number;
}

/** The entries of an upstream page that the facade pages through (what it calls matches). */
export function matchCount(bundle: Bundle): number {
  return (bundle.entry ?? []).filter((entry: unknown) => pagedEntryKind(entry) === 'match').length;
}

/** A HAPI-style paging link (`_getpages` with `_getpagesoffset`) moved to another offset; undefined for any other link. */
export function withPageOffset(link: string, offset: number): string | undefined {
  const queryAt = link.indexOf('?');
  if (queryAt < 0) return undefined;
  const query = new URLSearchParams(link.slice(queryAt + 1));
  if (!query.has('_getpages') || !query.has('_getpagesoffset')) return undefined;
  query.set('_getpagesoffset', String(offset));
  return `${link.slice(0, queryAt)}?${query.toString()}`;
}

/** Re-runs the search from `first` and returns the upstream page holding match number `target` (0-based). */
export async function reopenAt(first: string, target: number, deps: ReopenDeps): Promise<ReopenedPage> {
  let url = first;
  let offset = 0;
  for (let pagesRead = 1; ; pagesRead += 1) {
    if (pagesRead > deps.maxPages) {
      throw new FacadeError(502, 'too-costly', 'This search needs too much checking to answer. Please narrow it (for example by date or code).');
    }
    const bundle = await deps.read(url);
    const count = matchCount(bundle);
    if (target < offset + count) return { url, offset, bundle, pagesRead };
    const next = deps.next(bundle);
    if (next === undefined) return { url, offset, bundle, pagesRead }; // the search shrank: nothing left to show
    const jumped = offset + count < target ? withPageOffset(next, target) : undefined;
    if (jumped === undefined) {
      url = next;
      offset += count;
    } else {
      url = jumped;
      offset = target;
    }
  }
}
