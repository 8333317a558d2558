/**
 * The idle-timeout warning. The gateway ends a session after `timeoutSeconds` without requests; one minute
 * before that (from SessionView.idleExpiresAt, pushed back by every gateway answer) this opens a modal <dialog>.
 * "Stay signed in" (or Escape: the person is clearly there) calls POST /api/session/keepalive. When the time
 * runs out, the session is ended on the server as well (best effort, in case the clocks disagree) and the page
 * moves to /signed-out?reason=idle.
 *
 * Fires `sprout-sign-out` when the person chooses to sign out from the dialog.
 */
import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { GATEWAY_ACTIVITY_EVENT, GatewayError, postGateway } from '../api/gateway-client.ts';
import { messageForError } from '../api/error-messages.ts';
import type { Formatters } from '../i18n/format.ts';
import type { SessionView } from '../api/session.ts';
import { formatContext, sessionContext } from './contexts.ts';
import { readerOf } from './reader.ts';
import { idleWarningStyles } from './sprout-idle-warning.styles.ts';

/** How long before the idle logout the warning appears. */
export const IDLE_WARNING_MS = 60_000;

export const KEEPALIVE_PATH = '/api/session/keepalive';

@localized()
@customElement('sprout-idle-warning')
export class SproutIdleWarning extends LitElement {
  static override styles = idleWarningStyles;

  /** Epoch ms when the gateway will end the session unless there is activity. */
  @property({ attribute: false }) expiresAt = 0;
  @property({ attribute: false }) timeoutSeconds = 1200;
  @property({ attribute: false }) csrfToken?: string;
  /** The session (from the shell's context): someone on their own record hears about "your privacy", not their family's. */
  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: SessionView;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private open = false;
  @state() private busy = false;
  @state() private errorMessage = '';
  /** The clock the countdown is drawn against, ticking once a second while the dialog is open. */
  @state() private now = Date.now();
  private tick: ReturnType<typeof setInterval> | undefined;

  @query('dialog') private dialog?: HTMLDialogElement;

  private warnTimer: ReturnType<typeof setTimeout> | undefined;
  private expireTimer: ReturnType<typeof setTimeout> | undefined;
  private returnFocusTo: HTMLElement | undefined;
  private expired = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(GATEWAY_ACTIVITY_EVENT, this.onGatewayActivity);
    document.addEventListener('visibilitychange', this.schedule);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(GATEWAY_ACTIVITY_EVENT, this.onGatewayActivity);
    document.removeEventListener('visibilitychange', this.schedule);
    this.clearTimers();
  }

  protected override updated(changed: PropertyValues): void {
    // Sync the dialog with what this update rendered before scheduling, which may request the next update.
    if (changed.has('open')) {
      this.syncDialog();
      this.syncTicking();
    }
    if (changed.has('expiresAt') || changed.has('timeoutSeconds')) this.schedule();
  }

  override render() {
    const countdown = formatCountdown(this.expiresAt - this.now);
    return html`
      <dialog aria-labelledby="idle-title" aria-describedby="idle-text" @cancel=${this.onCancel}>
        ${this.open
          ? html`
              <h2 id="idle-title">${msg('Are you still there?', { id: 'idle.title' })}</h2>
              <p id="idle-text">
                ${this.session !== undefined && readerOf(this.session) === 'self'
                  ? msg('To protect your privacy, you will be signed out unless you stay signed in. Time left:', { id: 'idle.countdown-text-self' })
                  : msg("To protect your family's privacy, you will be signed out unless you stay signed in. Time left:", {
                      id: 'idle.countdown-text',
                    })}
                <span class="countdown" role="timer">${countdown}</span>
              </p>
              ${this.errorMessage ? html`<p class="error" role="alert">${this.errorMessage}</p>` : nothing}
              <div class="actions">
                <button class="button" type="button" autofocus ?disabled=${this.busy} @click=${this.staySignedIn}>
                  ${msg('Stay signed in', { id: 'idle.stay' })}
                </button>
                <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.signOut}>
                  ${msg('Sign out', { id: 'shell.sign-out' })}
                </button>
              </div>
            `
          : nothing}
      </dialog>
    `;
  }

  private readonly schedule = (): void => {
    this.clearTimers();
    if (this.expired || this.expiresAt <= 0) return;
    const now = Date.now();
    const untilExpiry = this.expiresAt - now;
    if (untilExpiry <= 0) {
      void this.expire();
      return;
    }
    const untilWarning = untilExpiry - IDLE_WARNING_MS;
    if (untilWarning <= 0) this.open = true;
    else {
      this.open = false;
      this.warnTimer = setTimeout(() => (this.open = true), untilWarning);
    }
    this.expireTimer = setTimeout(() => void this.expire(), untilExpiry);
  };

  private readonly onGatewayActivity = (event: WindowEventMap[typeof GATEWAY_ACTIVITY_EVENT]): void => {
    const extended = event.detail.sentAt + this.timeoutSeconds * 1000;
    if (extended > this.expiresAt) this.expiresAt = extended;
  };

  private readonly onCancel = (event: Event): void => {
    // Escape closes a modal dialog; here it means "I'm here", so it keeps the session like the main button.
    event.preventDefault();
    void this.staySignedIn();
  };

  private readonly staySignedIn = async (): Promise<void> => {
    if (this.busy) return;
    this.busy = true;
    this.errorMessage = '';
    try {
      const sentAt = Date.now();
      const answer = await postGateway<{ idleExpiresAt?: unknown }>(KEEPALIVE_PATH, {}, AbortSignal.timeout(15_000), this.csrfOption());
      const fromServer = typeof answer?.idleExpiresAt === 'number' ? answer.idleExpiresAt : undefined;
      this.expiresAt = Math.max(this.expiresAt, fromServer ?? sentAt + this.timeoutSeconds * 1000);
      this.open = false;
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'session-expired') {
        this.leave('expired');
        return;
      }
      this.errorMessage = messageForError(error);
    } finally {
      this.busy = false;
    }
  };

  private readonly signOut = (): void => {
    this.dispatchEvent(new CustomEvent('sprout-sign-out', { bubbles: true, composed: true }));
  };

  private async expire(): Promise<void> {
    if (this.expired) return;
    this.expired = true;
    this.clearTimers();
    try {
      await postGateway('/logout', {}, AbortSignal.timeout(3_000), this.csrfOption());
    } catch {
      // Most often the gateway has already ended the session (401); the page leaves either way.
    }
    this.leave('idle');
  }

  private leave(reason: 'idle' | 'expired'): void {
    window.location.assign(`/signed-out?reason=${reason}`);
  }

  private csrfOption(): { csrfToken?: string } {
    return this.csrfToken === undefined ? {} : { csrfToken: this.csrfToken };
  }

  private syncDialog(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      this.returnFocusTo = deepActiveElement();
      dialog.showModal();
      // Start on the safe action (autofocus is not honoured inside every shadow tree).
      dialog.querySelector<HTMLButtonElement>('button')?.focus();
    } else if (!this.open && dialog.open) {
      dialog.close();
      this.returnFocusTo?.focus();
      this.returnFocusTo = undefined;
    }
  }

  /** While the dialog is open the countdown re-renders every second; closed, nothing ticks. */
  private syncTicking(): void {
    clearInterval(this.tick);
    this.tick = undefined;
    if (!this.open) return;
    this.now = Date.now();
    this.tick = setInterval(() => (this.now = Date.now()), 1000);
  }

  private clearTimers(): void {
    clearInterval(this.tick);
    this.tick = undefined;
    clearTimeout(this.warnTimer);
    clearTimeout(this.expireTimer);
    this.warnTimer = undefined;
    this.expireTimer = undefined;
  }
}

/** Milliseconds left as "m:ss" (never negative), the same in both languages. */
export function formatCountdown(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The focused element, looking inside open shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-idle-warning': SproutIdleWarning;
  }
  interface HTMLElementEventMap {
    'sprout-sign-out': CustomEvent<undefined>;
  }
}
