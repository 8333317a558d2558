/**
 * Secure messaging: the inbox (filter by person, search, "load more"), a thread with its attachments, and compose or
 * reply — care-team recipient picker, attachments with an upload progress bar, the emergency warning, drafts saved on
 * the server as you type (restored on any device), and "we'll retry" when the hospital cannot be reached (the same
 * Idempotency-Key on every retry, so nothing is sent twice). Message text is always rendered as text.
 */
import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SessionView } from '../api/session.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext, sessionContext } from '../shell/contexts.ts';
import { navigate } from '../shell/router.ts';
import {
  attachmentUrl, deleteDraft, fetchDrafts, fetchInbox, fetchPreference, fetchRecipients, fetchThread, MessageError, newIntentKey, saveDraft, savePreference,
  sendMessage, type Draft, type Inbox, type NotificationPreference, type PartyView, type ThreadSummary, type ThreadView,
} from './messages-api.ts';
import { messageErrorText } from './message-text.ts';
import { messagesStyles } from './sprout-messages.styles.ts';

const MAX_FILES = 5;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const AUTOSAVE_MS = 800;

const partyLabel = (p: PartyView) => (p.role === undefined ? p.name : `${p.name}, ${p.role}`);

@localized()
@customElement('sprout-messages')
export class SproutMessages extends LitElement {
  static override styles = messagesStyles;

  /** "inbox", "new", or a thread id. */
  @property({ attribute: 'view' }) view = 'inbox';

  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: SessionView;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @state() private inbox?: Inbox;
  @state() private threads: ThreadSummary[] = [];
  @state() private thread?: ThreadView;
  @state() private drafts: Draft[] = [];
  @state() private loadError?: string;
  @state() private patientFilter = '';
  @state() private search = '';
  // Compose / reply state
  @state() private draftId = '';
  @state() private patientId = '';
  @state() private recipients: PartyView[] = [];
  @state() private recipient = '';
  @state() private subject = '';
  @state() private body = '';
  @state() private files: File[] = [];
  @state() private fileError?: string;
  @state() private sendError?: string;
  @state() private progress?: number;
  @state() private sending = false;
  /** The last send could not reach the hospital: the same message (same key) may be sent again. */
  @state() private retryable = false;
  @state() private savedNote = '';
  @state() private preference?: NotificationPreference;
  @state() private preferenceNote = '';
  /** Attachments of a message that waited to send (their names; the files themselves stay on the person's device). */
  @state() private reattach: string[] = [];
  private intentKey = newIntentKey();
  private autosave?: ReturnType<typeof setTimeout>;
  /** While the page is open, a message the hospital could not take is tried again: 10 s, 30 s, 90 s. */
  private retryTimer?: ReturnType<typeof setTimeout>;
  private autoRetries = 0;

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.retryTimer);
    clearTimeout(this.autosave);
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('view')) void this.load();
  }

  private async load() {
    this.loadError = undefined;
    this.sendError = undefined;
    try {
      if (this.view === 'inbox') {
        const [inbox, drafts, preference] = await Promise.all([
          fetchInbox({ patient: this.patientFilter, q: this.search }),
          fetchDrafts(),
          fetchPreference().catch(() => undefined),
        ]);
        this.inbox = inbox;
        this.threads = [...inbox.threads];
        this.drafts = drafts;
        this.preference = preference;
      } else if (this.view === 'new') {
        this.thread = undefined;
        const [inbox, drafts] = await Promise.all([this.inbox === undefined ? fetchInbox({}) : Promise.resolve(this.inbox), fetchDrafts()]);
        this.inbox = inbox;
        const wanted = new URLSearchParams(window.location.search).get('draft');
        const draft = drafts.find((d) => d.id === wanted) ?? drafts.find((d) => d.inResponseTo === undefined && d.outbox === undefined);
        this.startCompose(draft);
      } else {
        this.thread = await fetchThread(this.view);
        const drafts = await fetchDrafts();
        const draft = drafts.find((d) => d.inResponseTo === this.view);
        this.startReply(draft);
      }
    } catch (error) {
      this.loadError = messageErrorText(error instanceof MessageError ? error.code : 'thread-not-found');
    }
  }

  private startCompose(draft?: Draft) {
    this.draftId = draft?.id ?? `d${newIntentKey().slice(0, 20)}`;
    const messageable = this.inbox?.patients.filter((p) => p.canMessage) ?? [];
    this.patientId = draft?.patientId ?? (messageable.length === 1 ? messageable[0]!.id : '');
    this.recipient = draft?.recipient ?? '';
    this.subject = draft?.subject ?? '';
    this.body = draft?.body ?? '';
    this.files = [];
    this.intentKey = draft?.outbox?.idempotencyKey ?? newIntentKey();
    this.reattach = draft?.outbox?.attachmentNames ?? [];
    this.retryable = draft?.outbox !== undefined;
    this.savedNote = draft === undefined ? '' : msg('Draft restored.', { id: 'messages.draft-restored' });
    if (this.patientId !== '') void this.loadRecipients();
  }

  private startReply(draft?: Draft) {
    const thread = this.thread;
    if (thread === undefined) return;
    this.draftId = draft?.id ?? `r${newIntentKey().slice(0, 20)}`;
    this.patientId = thread.thread.patientId;
    const lastFromTeam = [...thread.messages].reverse().find((m) => !m.fromMe);
    this.recipient = lastFromTeam?.sender.reference ?? thread.messages[0]?.recipients[0]?.reference ?? '';
    this.subject = thread.thread.subject;
    this.body = draft?.body ?? '';
    this.files = [];
    this.intentKey = draft?.outbox?.idempotencyKey ?? newIntentKey();
    this.savedNote = draft === undefined ? '' : msg('Draft restored.', { id: 'messages.draft-restored' });
  }

  private async loadRecipients() {
    this.recipients = this.patientId === '' ? [] : await fetchRecipients(this.patientId).catch(() => []);
    if (!this.recipients.some((r) => r.reference === this.recipient)) this.recipient = this.recipients.length === 1 ? this.recipients[0]!.reference : '';
  }

  private scheduleSave() {
    clearTimeout(this.autosave);
    this.autosave = setTimeout(() => void this.saveNow(), AUTOSAVE_MS);
  }

  private async saveNow() {
    const replyTo = this.view !== 'new' && this.view !== 'inbox' ? this.view : undefined;
    try {
      await saveDraft(this.draftId, {
        ...(this.patientId === '' ? {} : { patientId: this.patientId }),
        ...(this.recipient === '' ? {} : { recipient: this.recipient }),
        subject: this.subject,
        body: this.body,
        ...(replyTo === undefined ? {} : { inResponseTo: replyTo }),
      });
      this.savedNote = msg('Draft saved.', { id: 'messages.draft-saved' });
    } catch {
      this.savedNote = msg('Draft not saved yet; we will keep trying.', { id: 'messages.draft-not-saved' });
    }
  }

  private onFiles(event: Event) {
    const input = event.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    input.value = '';
    this.fileError = undefined;
    const all = [...this.files, ...chosen];
    if (all.length > MAX_FILES) this.fileError = messageErrorText('too-many-attachments');
    else if (chosen.some((f) => f.size > MAX_FILE_BYTES)) this.fileError = messageErrorText('attachment-too-large');
    else this.files = all;
  }

  private async send(event?: Event) {
    event?.preventDefault();
    clearTimeout(this.retryTimer);
    if (this.sending) return;
    this.sendError = undefined;
    this.retryable = false;
    const replyTo = this.view !== 'new' && this.view !== 'inbox' ? this.view : undefined;
    clearTimeout(this.autosave);
    await this.saveNow();
    this.sending = true;
    this.progress = 0;
    try {
      const result = await sendMessage(
        { patientId: this.patientId, recipient: this.recipient, subject: this.subject, body: this.body, draftId: this.draftId, ...(replyTo === undefined ? {} : { inResponseTo: replyTo }) },
        this.files,
        this.intentKey,
        (fraction) => (this.progress = fraction),
      );
      await deleteDraft(this.draftId).catch(() => undefined);
      this.intentKey = newIntentKey();
      this.autoRetries = 0;
      this.reattach = [];
      this.files = [];
      this.body = '';
      if (replyTo === undefined) navigate(`/messages/${encodeURIComponent(result.threadId)}`);
      else void this.load();
    } catch (error) {
      const code = error instanceof MessageError ? error.code : 'unexpected';
      this.sendError = messageErrorText(code);
      this.retryable = ['saved-will-retry', 'upstream-unavailable', 'offline', 'action-in-progress'].includes(code);
      // Refusals of this exact message need a new key once it is changed; a failure to reach the hospital keeps it.
      if (!this.retryable) this.intentKey = newIntentKey();
      if (this.retryable && this.autoRetries < 3) {
        const delay = [10_000, 30_000, 90_000][this.autoRetries]!;
        this.autoRetries += 1;
        this.retryTimer = setTimeout(() => void this.send(), delay);
      }
    } finally {
      this.sending = false;
      this.progress = undefined;
    }
  }

  private async changePreference(change: Partial<NotificationPreference>) {
    const next: NotificationPreference = { emailEnabled: this.preference?.emailEnabled ?? true, language: this.preference?.language ?? 'en', ...change };
    try {
      await savePreference(next);
      this.preference = next;
      this.preferenceNote = msg('Saved.', { id: 'messages.preference-saved' });
    } catch {
      this.preferenceNote = msg('Not saved. Please try again.', { id: 'messages.preference-not-saved' });
    }
  }

  private renderPreference() {
    const preference = this.preference;
    if (preference === undefined) return nothing;
    return html`<fieldset class="preference">
      <legend>${msg('Email notices', { id: 'messages.preference-legend' })}</legend>
      <label class="inline"><input type="checkbox" .checked=${preference.emailEnabled}
        @change=${(e: Event) => void this.changePreference({ emailEnabled: (e.target as HTMLInputElement).checked })}>
        ${msg('Email me when I have a new message (the email never includes the message)', { id: 'messages.preference-email' })}</label>
      <label class="inline">${msg('Email language', { id: 'messages.preference-language' })}
        <select .value=${preference.language} @change=${(e: Event) => void this.changePreference({ language: (e.target as HTMLSelectElement).value === 'es' ? 'es' : 'en' })}>
          <option value="en" ?selected=${preference.language === 'en'}>English</option>
          <option value="es" lang="es" ?selected=${preference.language === 'es'}>Español</option>
        </select></label>
      <span class="note" role="status">${this.preferenceNote}</span>
    </fieldset>`;
  }

  private async loadMore() {
    if (this.inbox?.nextOffset === undefined) return;
    const more = await fetchInbox({ patient: this.patientFilter, q: this.search, offset: this.inbox.nextOffset });
    this.inbox = more;
    this.threads = [...this.threads, ...more.threads];
  }

  private when(instant: string) {
    return this.format?.dateTime(instant) ?? instant;
  }

  private patientName(id: string) {
    return this.inbox?.patients.find((p) => p.id === id)?.name ?? this.session?.patients.find((p) => p.id === id)?.name ?? '';
  }

  override render() {
    if (this.loadError !== undefined) {
      return html`<h1>${msg('Messages', { id: 'messages.title' })}</h1><p role="alert" class="error">${this.loadError}</p><p><a href="/messages">${msg('Back to messages', { id: 'messages.back' })}</a></p>`;
    }
    if (this.view === 'inbox') return this.renderInbox();
    if (this.view === 'new') return this.renderCompose();
    return this.renderThread();
  }

  private renderInbox() {
    const inbox = this.inbox;
    const canWrite = inbox?.patients.some((p) => p.canMessage) ?? false;
    return html`
      <h1>${msg('Messages', { id: 'messages.title' })}</h1>
      ${canWrite ? html`<p><a class="button" href="/messages/new">${msg('New message', { id: 'messages.new' })}</a></p>` : nothing}
      ${this.drafts.length === 0
        ? nothing
        : html`<h2>${msg('Drafts and messages waiting to send', { id: 'messages.drafts' })}</h2>
            <ul class="threads">${this.drafts.map((d) => html`<li><a href=${d.inResponseTo ? `/messages/${encodeURIComponent(d.inResponseTo)}` : `/messages/new?draft=${encodeURIComponent(d.id)}`}>
              <span class="subject">${d.subject || msg('(no subject)', { id: 'messages.no-subject' })}</span>
              ${d.outbox ? html` <span class="badge">${msg('Waiting to send', { id: 'messages.waiting' })}</span>` : nothing}
              <div class="preview">${(d.body ?? '').slice(0, 140)}</div></a></li>`)}</ul>`}
      <form class="toolbar" role="search" @submit=${(e: Event) => { e.preventDefault(); void this.load(); }}>
        ${(inbox?.patients.length ?? 0) > 1
          ? html`<label>${msg('Person', { id: 'messages.filter-person' })}
              <select .value=${this.patientFilter} @change=${(e: Event) => { this.patientFilter = (e.target as HTMLSelectElement).value; void this.load(); }}>
                <option value="">${msg('Everyone', { id: 'messages.filter-everyone' })}</option>
                ${inbox?.patients.map((p) => html`<option value=${p.id} ?selected=${p.id === this.patientFilter}>${p.name}</option>`)}
              </select></label>`
          : nothing}
        <label>${msg('Search messages', { id: 'messages.search' })}
          <input type="search" .value=${this.search} @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}></label>
        <button class="button" type="submit">${msg('Search', { id: 'messages.search-button' })}</button>
      </form>
      ${inbox === undefined
        ? html`<p role="status">${msg('Loading messages…', { id: 'messages.loading' })}</p>`
        : this.threads.length === 0
          ? html`<p>${msg('No messages.', { id: 'messages.empty' })}</p>`
          : html`<ul class="threads" aria-label=${msg('Conversations', { id: 'messages.list-label' })}>
              ${this.threads.map((t) => html`<li class=${t.unread ? 'unread' : ''}><a href="/messages/${encodeURIComponent(t.id)}">
                <span class="subject">${t.subject || msg('(no subject)', { id: 'messages.no-subject' })}</span>
                ${t.unread ? html`<span class="visually-hidden">${msg('(unread)', { id: 'messages.unread' })}</span>` : nothing}
                <div class="meta">${this.patientName(t.patientId)} · ${partyLabel(t.lastSender)} · ${this.when(t.lastSent)}${t.hasAttachments ? ` · ${msg('attachments', { id: 'messages.has-attachments' })}` : ''}</div>
                <div class="preview">${t.preview}</div></a></li>`)}
            </ul>
            ${inbox.nextOffset === undefined ? nothing : html`<p><button class="button" type="button" @click=${() => void this.loadMore()}>${msg('Load more', { id: 'messages.load-more' })}</button></p>`}`}
      ${this.renderPreference()}
    `;
  }

  private renderThread() {
    const thread = this.thread;
    if (thread === undefined) return html`<p role="status">${msg('Loading messages…', { id: 'messages.loading' })}</p>`;
    return html`
      <p><a href="/messages">${msg('Back to messages', { id: 'messages.back' })}</a></p>
      <h1>${thread.thread.subject || msg('(no subject)', { id: 'messages.no-subject' })}</h1>
      <p class="note">${msg(str`About ${this.patientName(thread.thread.patientId)}`, { id: 'messages.about' })}</p>
      ${thread.messages.map((m) => html`<article class="message ${m.fromMe ? 'mine' : ''}">
        <h2 class="meta"><strong>${partyLabel(m.sender)}</strong> · <time datetime=${m.sent}>${this.when(m.sent)}</time>
          ${m.confidential ? html` <span class="badge">${msg('Confidential to the patient', { id: 'messages.confidential' })}</span>` : nothing}</h2>
        <p class="body">${m.body}</p>
        ${m.attachments.length === 0 ? nothing : html`<ul>${m.attachments.map((a) => html`<li><a href=${attachmentUrl(m.id, a.binaryId)} download=${a.name}>${a.name}</a></li>`)}</ul>`}
      </article>`)}
      ${thread.thread.canReply ? this.renderForm(true) : nothing}
    `;
  }

  private renderCompose() {
    return html`<p><a href="/messages">${msg('Back to messages', { id: 'messages.back' })}</a></p>
      <h1>${msg('New message', { id: 'messages.new' })}</h1>${this.renderForm(false)}`;
  }

  private renderForm(reply: boolean) {
    const messageable = this.inbox?.patients.filter((p) => p.canMessage) ?? [];
    return html`
      <p class="warning" role="note"><strong>${msg('Not for emergencies.', { id: 'messages.emergency-title' })}</strong>
        ${msg('If this is an emergency, call 911. Messages may take up to 2 business days to be answered.', { id: 'messages.emergency' })}</p>
      <form @submit=${(e: Event) => void this.send(e)} novalidate aria-label=${reply ? msg('Reply', { id: 'messages.reply' }) : msg('New message', { id: 'messages.new' })}>
        ${reply ? html`<h2>${msg('Reply', { id: 'messages.reply' })}</h2>` : html`
          <label for="patient">${msg('About', { id: 'messages.field-patient' })}</label>
          <select id="patient" required .value=${this.patientId} @change=${(e: Event) => { this.patientId = (e.target as HTMLSelectElement).value; void this.loadRecipients(); this.scheduleSave(); }}>
            <option value="">${msg('Choose a person', { id: 'messages.choose-person' })}</option>
            ${messageable.map((p) => html`<option value=${p.id} ?selected=${p.id === this.patientId}>${p.name}</option>`)}
          </select>
          <label for="recipient">${msg('To', { id: 'messages.field-recipient' })}</label>
          <select id="recipient" required .value=${this.recipient} @change=${(e: Event) => { this.recipient = (e.target as HTMLSelectElement).value; this.scheduleSave(); }}>
            <option value="">${msg('Choose someone from the care team', { id: 'messages.choose-recipient' })}</option>
            ${this.recipients.map((r) => html`<option value=${r.reference} ?selected=${r.reference === this.recipient}>${partyLabel(r)}</option>`)}
          </select>
          <label for="subject">${msg('Subject', { id: 'messages.field-subject' })}</label>
          <input id="subject" type="text" maxlength="200" required .value=${this.subject} @input=${(e: Event) => { this.subject = (e.target as HTMLInputElement).value; this.scheduleSave(); }}>`}
        <label for="body">${msg('Message', { id: 'messages.field-body' })}</label>
        <textarea id="body" maxlength="10000" required .value=${this.body} @input=${(e: Event) => { this.body = (e.target as HTMLTextAreaElement).value; this.scheduleSave(); }}></textarea>
        <label for="files">${msg('Attachments (PDF, JPEG or PNG; up to 5 files, 10 MB each)', { id: 'messages.field-files' })}</label>
        <input id="files" type="file" multiple accept="application/pdf,image/jpeg,image/png" @change=${(e: Event) => this.onFiles(e)}>
        ${this.fileError === undefined ? nothing : html`<p class="error" role="alert">${this.fileError}</p>`}
        ${this.reattach.length === 0 || this.files.length > 0 ? nothing : html`<p class="note">${msg(str`Please attach again: ${this.reattach.join(', ')}`, { id: 'messages.reattach' })}</p>`}
        ${this.files.length === 0 ? nothing : html`<ul class="files">${this.files.map((f, i) => html`<li>${f.name}
          <button type="button" class="link-button" @click=${() => (this.files = this.files.filter((_, j) => j !== i))}>${msg(str`Remove ${f.name}`, { id: 'messages.remove-file' })}</button></li>`)}</ul>`}
        ${this.progress === undefined ? nothing : html`<label for="progress">${msg('Sending…', { id: 'messages.sending' })}</label><progress id="progress" max="1" .value=${this.progress}></progress>`}
        ${this.sendError === undefined ? nothing : html`<p class="error" role="alert">${this.sendError}</p>`}
        <div class="actions"><button class="button" type="submit" ?disabled=${this.sending}>${this.retryable ? msg('Try again', { id: 'messages.retry' }) : msg('Send', { id: 'messages.send' })}</button></div>
        <p class="note" role="status">${this.savedNote}</p>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-messages': SproutMessages;
  }
}
