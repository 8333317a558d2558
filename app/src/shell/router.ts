/**
 * A tiny path router on the History API. The gateway serves index.html for unknown GETs, so every app path
 * below is a real URL that survives reload and sharing; server paths (/login, /logout, /launch, /api, /fhir …)
 * are left to the browser.
 *
 * Routes:
 *   /                          dashboard
 *   /patient/:id               <sprout-patient-record patient-id=…>
 *   /patient/:id/:section      <sprout-patient-record patient-id=… section=…>
 *   /signed-out                signed-out landing (?reason=expired|idle|signed-out|everywhere|reported)
 *   /messages                  <sprout-messages> inbox; /messages/new compose; /messages/:threadId a thread
 *   /bills                     <sprout-bills> balances, statements, pay (?checkout=… on the return from the payment page)
 *   /sharing                   <sprout-sharing> send records over Direct, sent records, complete copies from HIM
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Route =
  | { readonly name: 'dashboard' }
  | { readonly name: 'record'; readonly patientId: string; readonly section?: string }
  | { readonly name: 'signed-out'; readonly reason?: SignedOutReason }
  | { readonly name: 'messages'; readonly view: string }
  | { readonly name: 'bills' }
  | { readonly name: 'sharing' }
  | { readonly name: 'not-found' };

export const SIGNED_OUT_REASONS = ['signed-out', 'idle', 'expired', 'everywhere', 'reported'] as const;
export type SignedOutReason = (typeof SIGNED_OUT_REASONS)[number];

/** FHIR id grammar (R4 datatypes: [A-Za-z0-9\-\.]{1,64}); anything else in the URL is not a patient. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
/** Record section slugs are lowercase words joined by hyphens (the record element decides which exist). */
const SECTION = /^[a-z][a-z0-9-]{0,39}$/;

/** Paths the gateway answers itself; links to them are full page loads, never routed in the app. */
export const SERVER_PATH_PREFIXES = ['/login', '/logout', '/launch', '/callback', '/api/', '/fhir/', '/.well-known/'] as const;

/** Pure: which view a URL path (and query) shows. */
export function matchRoute(pathname: string, search = ''): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'dashboard' };
  if (path === '/signed-out') {
    const reason = new URLSearchParams(search).get('reason');
    return (SIGNED_OUT_REASONS as readonly string[]).includes(reason ?? '')
      ? { name: 'signed-out', reason: reason as SignedOutReason }
      : { name: 'signed-out' };
  }
  if (path === '/bills') return { name: 'bills' };
  if (path === '/sharing') return { name: 'sharing' };
  const segments = path.split('/').slice(1);
  if (segments[0] === 'messages' && segments.length <= 2) {
    const view = segments[1] === undefined ? 'inbox' : safeDecode(segments[1]);
    if (view !== undefined && (view === 'inbox' || view === 'new' || FHIR_ID.test(view))) return { name: 'messages', view };
  }
  if (segments[0] === 'patient' && (segments.length === 2 || segments.length === 3)) {
    const patientId = safeDecode(segments[1] ?? '');
    const section = segments[2] === undefined ? undefined : safeDecode(segments[2]);
    if (patientId !== undefined && FHIR_ID.test(patientId)) {
      if (section === undefined && segments.length === 2) return { name: 'record', patientId };
      if (section !== undefined && SECTION.test(section)) return { name: 'record', patientId, section };
    }
  }
  return { name: 'not-found' };
}

/** The path of a record page; ids are encoded even though valid FHIR ids never need it. */
export function recordPath(patientId: string, section?: string): string {
  const base = `/patient/${encodeURIComponent(patientId)}`;
  return section === undefined ? base : `${base}/${encodeURIComponent(section)}`;
}

export function isServerPath(pathname: string): boolean {
  return SERVER_PATH_PREFIXES.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix));
}

/** Fired on window after the app changes the URL itself (pushState fires no popstate). */
const NAVIGATE_EVENT = 'sprout-navigate';

/** Moves to an app path without a page load. Server paths and other origins get a full navigation. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = new URL(path, window.location.href);
  if (url.origin !== window.location.origin || isServerPath(url.pathname)) {
    window.location.assign(url.href);
    return;
  }
  if (options.replace) window.history.replaceState(null, '', url.href);
  else window.history.pushState(null, '', url.href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * Keeps `route` in step with the URL and turns clicks on same-origin app links (anywhere in the host's shadow
 * tree, found through composedPath) into History navigation. Modified clicks, downloads, targets and server
 * paths are left to the browser.
 */
export class RouterController implements ReactiveController {
  route: Route;
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly onChange: (route: Route) => void;

  constructor(host: ReactiveControllerHost & HTMLElement, onChange: (route: Route) => void = () => {}) {
    this.host = host;
    this.onChange = onChange;
    this.route = matchRoute(window.location.pathname, window.location.search);
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.sync);
    window.addEventListener(NAVIGATE_EVENT, this.sync);
    this.host.addEventListener('click', this.interceptClick);
    this.sync();
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.sync);
    window.removeEventListener(NAVIGATE_EVENT, this.sync);
    this.host.removeEventListener('click', this.interceptClick);
  }

  private readonly sync = (): void => {
    this.route = matchRoute(window.location.pathname, window.location.search);
    this.onChange(this.route);
    this.host.requestUpdate();
  };

  private readonly interceptClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target !== '' || anchor.hasAttribute('download')) return;
    const href = anchor.getAttribute('href');
    if (href === null || href.startsWith('#')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || isServerPath(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
}

/** decodeURIComponent that answers undefined for malformed escapes instead of throwing (URLs are user input). */
function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
