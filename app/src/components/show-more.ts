/**
 * "Show more" for long lists. Lists render `visible` items; the button reveals the next page, first from what is
 * already loaded, then (when the gateway gave a cursor) by asking the caller to fetch the next page.
 * A template helper, not an element: each list keeps its own count in its host's state.
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';

export const LIST_PAGE_SIZE = 10;

export interface ShowMoreOptions {
  /** Items loaded but not yet shown. */
  readonly hiddenLoaded: number;
  /** The gateway has a further page (a cursor) for this list. */
  readonly moreOnServer: boolean;
  /** The next page is being fetched. */
  readonly busy?: boolean;
  /** What the list holds, for the button's accessible name ("Show more allergies"). */
  readonly listName: string;
  readonly onShowMore: () => void;
}

export function renderShowMore(options: ShowMoreOptions): TemplateResult | typeof nothing {
  if (options.hiddenLoaded <= 0 && !options.moreOnServer) return nothing;
  return html`<div class="show-more no-print">
    <button type="button" class="button secondary" ?disabled=${options.busy === true} aria-busy=${options.busy ? 'true' : 'false'} @click=${options.onShowMore}>
      ${options.busy
        ? msg('Loading…', { id: 'record.loading' })
        : html`${msg('Show more', { id: 'record.show-more' })}<span class="visually-hidden">: ${options.listName}</span>`}
    </button>
  </div>`;
}

/** The generic allow-list note: said once per page, never about a particular item or count. */
export function renderPartialNote(partial: boolean): TemplateResult | typeof nothing {
  if (!partial) return nothing;
  return html`<p class="partial-note" data-testid="partial-note">${msg('Some information may not appear online.', { id: 'record.partial-note' })}</p>`;
}

/** "Showing 10 of 24" is deliberately not said: with server paging the total is unknown, and counts can hint. */
export function pageCountAfterShowMore(current: number): number {
  return current + LIST_PAGE_SIZE;
}


/** Fired by a section when the family asks for more than is loaded and the gateway has a cursor for that list. */
export const LOAD_MORE_EVENT = 'sprout-load-more';
export type LoadMoreEvent = CustomEvent<{ readonly list: string }>;

declare global {
  interface HTMLElementEventMap {
    [LOAD_MORE_EVENT]: LoadMoreEvent;
  }
}
