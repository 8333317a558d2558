/**
 * <sprout-app>: the shell. Loads the session (GET /api/session) and the family's language, provides them to every
 * element through @lit/context, routes by path, and owns the cross-cutting parts: header with family switcher,
 * language switch, account safety (sign out everywhere, report unauthorized access) and sign out, the test-mode banner, the idle-timeout warning, and the signed-out landing.
 *
 * Routes (see router.ts): / → dashboard; /patient/:id[/:section] → <sprout-patient-record>; /signed-out.
 * An EHR launch needs nothing special: the gateway redirects to /patient/<id> or / after the callback.
 */
import { provide } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { GatewayError, SESSION_EXPIRED_EVENT, fetchSession, postGateway } from '../api/gateway-client.ts';
import { messageForError } from '../api/error-messages.ts';
import type { SessionView, SignedOutView } from '../api/session.ts';
import { createFormatters, type Formatters } from '../i18n/format.ts';
import { activeLocale, initLocale, onLocaleReady, switchLocale } from '../i18n/localization.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { formatContext, localeContext, sessionContext } from './contexts.ts';
import { navigate, recordPath, RouterController, type Route } from './router.ts';
import { readerOf } from './reader.ts';
import { appStyles } from './sprout-app.styles.ts';
import '../dashboard/sprout-family-dashboard.ts';
import './sprout-account-safety.ts';
import './sprout-family-switcher.ts';
import './sprout-gateway-error.ts';
import './sprout-idle-warning.ts';
import './sprout-language-switch.ts';
import './sprout-signed-out-page.ts';

/** Used for dates until a session names the hospital's zone (signed-out pages show no dates). */
const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

@localized()
@customElement('sprout-app')
export class SproutApp extends LitElement {
  static override styles = appStyles;

  @provide({ context: sessionContext })
  @state()
  protected session: SessionView | undefined;

  @provide({ context: localeContext })
  @state()
  protected locale: AppLocale = activeLocale();

  @provide({ context: formatContext })
  @state()
  protected format: Formatters = createFormatters(activeLocale(), DEFAULT_TIME_ZONE);

  /** Polite announcements for screen readers (language switched, sign-out problems). */
  @state() private status = '';

  /** Set when the record views' code failed to load (offline mid-visit): the record route shows why. */
  @state() private recordLoadError: unknown;

  @query('main') private main?: HTMLElement;

  private readonly router = new RouterController(this, () => this.onRouteChange());
  private routeChanged = false;
  private stopLocaleListener: (() => void) | undefined;

  /** The session, loaded once per page (a sign-in or sign-out is always a full page load). */
  private readonly sessionTask = new Task(this, {
    args: () => [this.router.route.name === 'signed-out'] as const,
    task: async ([onSignedOutPage], { signal }): Promise<SessionView | SignedOutView | undefined> => {
      await initLocale();
      if (onSignedOutPage) return undefined;
      const result = await fetchSession(signal);
      this.applySession(result.signedIn ? result : undefined);
      return result;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Opening a record page directly (an EHR launch, a bookmark): fetch the record views alongside the session
    // instead of after it, so the page waits on one round trip less.
    if (this.router.route.name === 'record') void this.loadRecordViews();
    this.stopLocaleListener = onLocaleReady((locale) => this.applyLocale(locale));
    window.addEventListener(SESSION_EXPIRED_EVENT, this.onSessionExpired);
    this.addEventListener('sprout-locale-change', this.onLocaleChange);
    this.addEventListener('sprout-patient-select', this.onPatientSelect);
    this.addEventListener('sprout-sign-out', this.onSignOutRequest);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopLocaleListener?.();
    window.removeEventListener(SESSION_EXPIRED_EVENT, this.onSessionExpired);
    this.removeEventListener('sprout-locale-change', this.onLocaleChange);
    this.removeEventListener('sprout-patient-select', this.onPatientSelect);
    this.removeEventListener('sprout-sign-out', this.onSignOutRequest);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    document.title = this.pageTitle();
    if (this.routeChanged) {
      // After in-app navigation, move focus to the new page so screen readers start reading it.
      this.routeChanged = false;
      this.main?.focus();
    }
  }

  override render() {
    const session = this.session;
    return html`
      <header>
        <a class="skip-link" href="#main" @click=${this.skipToMain}>${msg('Skip to main content', { id: 'shell.skip-link' })}</a>
        ${session?.openServerMode
          ? html`<p class="test-mode" role="note">
              ${msg("Test mode: this portal is connected to an open test server. Don't enter real health information.", {
                id: 'shell.test-mode',
              })}
            </p>`
          : nothing}
        <div class="header-inner">
          <a class="brand" href="/">
            <img src="/favicon.svg" alt="" />
            <span class="brand-name">Sprout</span>
            ${session ? html`<span class="hospital">${session.profile.hospitalName}</span>` : nothing}
          </a>
          ${session ? this.renderNav(session) : nothing}
          <div class="tools">
            <sprout-language-switch></sprout-language-switch>
            ${session
              ? html`<sprout-account-safety
                  .csrfToken=${session.csrfToken}
                  .hospitalName=${session.profile.hospitalName}
                  .himPhone=${session.profile.himPhone}
                ></sprout-account-safety>`
              : nothing}
            ${session
              ? html`<button class="button sign-out" type="button" @click=${this.onSignOutRequest}>
                  ${msg('Sign out', { id: 'shell.sign-out' })}
                </button>`
              : nothing}
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.renderPage()}</main>
      <footer>${this.renderFooter(session)}</footer>
      <div class="visually-hidden" role="status" aria-live="polite">${this.status}</div>
      ${session
        ? html`<sprout-idle-warning
            .expiresAt=${session.idleExpiresAt}
            .timeoutSeconds=${session.idleTimeoutSeconds}
            .csrfToken=${session.csrfToken}
          ></sprout-idle-warning>`
        : nothing}
    `;
  }

  private renderNav(session: SessionView) {
    const route = this.router.route;
    const patientId = route.name === 'record' ? route.patientId : undefined;
    const reader = readerOf(session);
    // A clinician arrives from the EHR on one patient's family-view preview: there is no family page to go to.
    if (reader === 'clinician') return nothing;
    return html`
      <nav aria-label=${msg('Main', { id: 'shell.nav-label' })}>
        <ul>
          <li>
            <a href="/" aria-current=${ifDefined(route.name === 'dashboard' ? 'page' : undefined)}>
              ${reader === 'self' ? msg('Home', { id: 'shell.nav-home' }) : msg('Family', { id: 'shell.nav-family' })}
            </a>
          </li>
          <li>
            <a href="/messages" aria-current=${ifDefined(route.name === 'messages' ? 'page' : undefined)}>${msg('Messages', { id: 'messages.nav' })}</a>
          </li>
          ${session.patients.some((p) => p.availableActions?.some((a) => a === 'bills' || a === 'balance'))
            ? html`<li><a href="/bills" aria-current=${ifDefined(route.name === 'bills' ? 'page' : undefined)}>${msg('Bills', { id: 'billing.nav' })}</a></li>`
            : nothing}
          <li><a href="/sharing" aria-current=${ifDefined(route.name === 'sharing' ? 'page' : undefined)}>${msg('Share records', { id: 'sharing.nav' })}</a></li>
          ${session.patients.length > 1
            ? html`<li><sprout-family-switcher .patients=${session.patients} .currentPatientId=${patientId}></sprout-family-switcher></li>`
            : nothing}
        </ul>
      </nav>
    `;
  }

  private renderPage() {
    const route = this.router.route;
    if (route.name === 'signed-out') {
      return html`<sprout-signed-out-page .reason=${route.reason}></sprout-signed-out-page>`;
    }
    return this.sessionTask.render({
      initial: () => this.renderLoading(),
      pending: () => (this.session ? this.renderRoute(route) : this.renderLoading()),
      complete: (result) => {
        if (!result) return this.renderLoading();
        if (!result.signedIn) {
          return html`<sprout-signed-out-page .loginUrl=${result.loginUrl} .servedActions=${result.servedActions}></sprout-signed-out-page>`;
        }
        return this.renderRoute(route);
      },
      error: (error) => html`
        <h1>${msg('Sprout could not start', { id: 'shell.start-failed' })}</h1>
        <sprout-gateway-error .error=${error} retryable @sprout-retry=${() => void this.sessionTask.run()}></sprout-gateway-error>
      `,
    });
  }

  private renderRoute(route: Route) {
    switch (route.name) {
      case 'dashboard':
        return html`<sprout-family-dashboard></sprout-family-dashboard>`;
      case 'record':
        // A clinician's EHR launch: what the family sees online, and why — not the record (they have the EHR).
        if (this.session !== undefined && readerOf(this.session) === 'clinician') {
          void this.loadFamilyPreview();
          return html`<sprout-family-preview patient-id=${route.patientId}></sprout-family-preview>`;
        }
        // The record views (app/src/record/) load on first use: the dashboard stays small, and a failure to load
        // them affects only record pages.
        if (this.recordLoadError !== undefined) {
          return html`<sprout-gateway-error .error=${this.recordLoadError} retryable @sprout-retry=${this.retryRecordLoad}></sprout-gateway-error>`;
        }
        void this.loadRecordViews();
        return html`<sprout-patient-record patient-id=${route.patientId} section=${ifDefined(route.section)}></sprout-patient-record>`;
      case 'messages':
        void import('../messages/sprout-messages.ts');
        return html`<sprout-messages view=${route.view}></sprout-messages>`;
      case 'bills':
        void import('../billing/sprout-bills.ts');
        return html`<sprout-bills></sprout-bills>`;
      case 'sharing':
        void import('../sharing/sprout-sharing.ts');
        return html`<sprout-sharing></sprout-sharing>`;
      case 'signed-out':
      case 'not-found':
        return html`
          <h1>${msg('Page not found', { id: 'shell.not-found-title' })}</h1>
          <p>${msg("We couldn't find this page.", { id: 'shell.not-found-text' })}</p>
          <p><a href="/">${msg('Go to your family overview', { id: 'shell.not-found-home' })}</a></p>
        `;
    }
  }

  private recordViews: Promise<unknown> | undefined;

  private loadRecordViews(): Promise<unknown> {
    this.recordViews ??= import('../record/sprout-patient-record.ts').catch((error: unknown) => {
      console.error('Could not load the record views', error);
      this.recordViews = undefined;
      this.recordLoadError = new GatewayError('offline', 0, undefined, { cause: error });
    });
    return this.recordViews;
  }

  private familyPreview: Promise<unknown> | undefined;

  private loadFamilyPreview(): Promise<unknown> {
    this.familyPreview ??= import('../clinician/sprout-family-preview.ts').catch((error: unknown) => {
      console.error('Could not load the family-view preview', error);
      this.familyPreview = undefined;
      this.recordLoadError = new GatewayError('offline', 0, undefined, { cause: error });
    });
    return this.familyPreview;
  }

  private readonly retryRecordLoad = (): void => {
    this.recordLoadError = undefined;
  };

  private renderLoading() {
    return html`<p role="status">${msg('Loading…', { id: 'shell.loading' })}</p>`;
  }

  private renderFooter(session: SessionView | undefined) {
    const phone = session?.profile.himPhone;
    return html`
      ${phone
        ? html`<p>
            ${msg(str`Questions about a record? Call Health Information Management at ${phone}.`, { id: 'shell.footer-him' })}
          </p>`
        : nothing}
      <p>${msg('In a medical emergency, call 911 or go to the nearest emergency room.', { id: 'shell.footer-emergency' })}</p>
    `;
  }

  private pageTitle(): string {
    const route = this.router.route;
    const page =
      route.name === 'signed-out' || (this.sessionTask.value !== undefined && !this.sessionTask.value.signedIn)
        ? msg('Sign in', { id: 'signin.button' })
        : route.name === 'dashboard'
          ? msg('Your family', { id: 'dashboard.title' })
          : route.name === 'record'
            ? (this.session?.patients.find((patient) => patient.id === route.patientId)?.name ?? msg('Health record', { id: 'shell.title-record' }))
            : msg('Page not found', { id: 'shell.not-found-title' });
    return `${page} – Sprout`;
  }

  private applySession(session: SessionView | undefined): void {
    this.session = session;
    this.format = createFormatters(this.locale, session?.profile.timeZone ?? DEFAULT_TIME_ZONE);
  }

  private applyLocale(locale: AppLocale): void {
    this.locale = locale;
    this.format = createFormatters(locale, this.session?.profile.timeZone ?? DEFAULT_TIME_ZONE);
  }

  private onRouteChange(): void {
    if (this.hasUpdated) this.routeChanged = true;
  }

  private readonly skipToMain = (event: Event): void => {
    event.preventDefault();
    this.main?.focus();
  };

  private readonly onLocaleChange = (event: HTMLElementEventMap['sprout-locale-change']): void => {
    const { locale } = event.detail;
    switchLocale(locale).then(
      () => {
        this.applyLocale(activeLocale());
        this.status = msg('Language changed to English.', { id: 'lang.changed' });
      },
      (error: unknown) => {
        console.error('Language switch failed', error);
        this.status = messageForError(error);
      },
    );
  };

  private readonly onPatientSelect = (event: HTMLElementEventMap['sprout-patient-select']): void => {
    const { patientId } = event.detail;
    navigate(patientId === undefined ? '/' : recordPath(patientId));
  };

  private readonly onSignOutRequest = async (): Promise<void> => {
    this.status = msg('Signing out…', { id: 'shell.signing-out' });
    try {
      await postGateway('/logout', {}, AbortSignal.timeout(15_000), { csrfToken: this.session?.csrfToken ?? '' });
    } catch (error) {
      // An ended session is already signed out; anything else must not pretend the sign-out worked.
      if (!(error instanceof GatewayError && error.kind === 'session-expired')) {
        this.status = messageForError(error);
        return;
      }
    }
    window.location.assign('/signed-out?reason=signed-out');
  };

  private readonly onSessionExpired = (): void => {
    window.location.assign('/signed-out?reason=expired');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-app': SproutApp;
  }
}
