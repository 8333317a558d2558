/**
 * <sprout-sharing> (/sharing): send a child's records to another doctor over Direct, the "Sent records" list (an
 * accounting of what was sent, to whom, when, and whether it was delivered), and requests for a complete copy from
 * Health Information Management with the HIM phone as a tap-to-call link. Each action is form → confirmation → send
 * with one idempotency key per intent; a refusal comes back to the form with everything kept and a localized sentence.
 * Only the documents the gateway shows this person are offered, and the gateway decides again on sending.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import type { Bundle, DocumentReference } from 'fhir/r4';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchFhir } from '../api/gateway-client.ts';
import type { SessionView } from '../api/session.ts';
import { activeLocale } from '../i18n/localization.ts';
import { sessionContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fetchHim, fetchSent, newIdempotencyKey, postSharing, SharingError } from './sharing-api.ts';

interface SendDraft { patientId: string; documents: string[]; to: string; note: string }
interface CopyDraft { patientId: string; from: string; to: string; format: 'paper' | 'electronic'; line1: string; city: string; state: string; postalCode: string; email: string }
type Phase = { kind: 'form'; error?: string; field?: string } | { kind: 'confirm'; key: string; error?: string } | { kind: 'sent' };

export function sharingErrorText(code: string): string {
  switch (code) {
    case 'direct-address-malformed': return msg('This is not a valid Direct address. It looks like an email address, for example dr.lee@direct.clinic.example.', { id: 'sharing.error-malformed' });
    case 'direct-address-foreign': return msg("This address is not a Direct address the hospital can send records to. Ask the doctor's office for their Direct address.", { id: 'sharing.error-foreign' });
    case 'document-not-permitted': return msg('One of the chosen documents cannot be sent from Sprout. Nothing was sent. Please choose again, or call the hospital.', { id: 'sharing.error-document' });
    case 'not-permitted': return msg('You cannot do this for this child in Sprout. If you think this is wrong, please call the hospital.', { id: 'sharing.error-not-permitted' });
    case 'invalid-input': return msg('Please check the highlighted field.', { id: 'sharing.error-input' });
    case 'offline': return msg('Sprout could not reach the hospital. Check your connection and try again. Nothing was sent.', { id: 'sharing.error-offline' });
    default: return msg('Something went wrong. Nothing was sent. Please try again.', { id: 'sharing.error-unexpected' });
  }
}

function statusText(status: string): string {
  switch (status) {
    case 'sent': return msg('Delivered', { id: 'sharing.status-sent' });
    case 'queued': return msg('Sending', { id: 'sharing.status-queued' });
    case 'retrying': return msg("Not delivered yet; we'll keep trying", { id: 'sharing.status-retrying' });
    case 'failed': return msg('Could not be delivered. Please call the hospital.', { id: 'sharing.status-failed' });
    case 'requested': return msg('Requested', { id: 'sharing.status-requested' });
    case 'in-progress': case 'accepted': return msg('In progress', { id: 'sharing.status-in-progress' });
    case 'completed': return msg('Done', { id: 'sharing.status-completed' });
    case 'rejected': case 'cancelled': return msg('Not done. Please call HIM.', { id: 'sharing.status-rejected' });
    default: return status;
  }
}

@localized()
@customElement('sprout-sharing')
export class SproutSharing extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      section { margin-block-end: var(--sprout-space-6, 1.5rem); }
      form, .confirm { display: grid; gap: var(--sprout-space-3, 0.75rem); max-width: 36rem; }
      label { display: grid; gap: 0.25rem; font-weight: 600; }
      fieldset { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); display: grid; gap: 0.5rem; }
      fieldset label { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: 400; }
      input:not([type=checkbox]):not([type=radio]), select, textarea { font: inherit; padding: 0.5rem; min-height: 2.75rem; width: 100%; box-sizing: border-box; border: 1px solid #6b7280; border-radius: 4px; }
      input[type=checkbox], input[type=radio] { min-width: 1.5rem; min-height: 1.5rem; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      button { min-height: 2.75rem; }
      .error { color: #8a1020; background: #fde8ea; padding: 0.75rem; border-radius: 4px; }
      .done { background: #e7f5ec; padding: 0.75rem; border-radius: 4px; }
      ul.list { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
      ul.list li { border: 1px solid var(--sprout-color-border, #c9ced6); border-radius: var(--sprout-radius, 6px); padding: 0.75rem; overflow-wrap: anywhere; }
    `,
  ];

  @consume({ context: sessionContext, subscribe: true })
  session: SessionView | undefined;

  @state() private send: SendDraft = { patientId: '', documents: [], to: '', note: '' };
  @state() private sendPhase: Phase = { kind: 'form' };
  @state() private copy: CopyDraft = { patientId: '', from: '', to: '', format: 'paper', line1: '', city: '', state: 'CA', postalCode: '', email: '' };
  @state() private copyPhase: Phase = { kind: 'form' };

  private readonly documents = new Task(this, {
    task: async ([patientId], { signal }) => {
      if (patientId === '') return [];
      const bundle = await fetchFhir<Bundle>(`DocumentReference?patient=${encodeURIComponent(patientId)}&_count=50`, signal);
      return (bundle.entry ?? []).map((e) => e.resource as DocumentReference).filter((d) => d?.resourceType === 'DocumentReference' && d.id !== undefined);
    },
    args: () => [this.send.patientId] as const,
  });
  private readonly sent = new Task(this, { task: ([], { signal }) => fetchSent(signal), args: () => [] as const });
  private readonly him = new Task(this, { task: ([], { signal }) => fetchHim(signal), args: () => [] as const });

  private get senders() {
    return (this.session?.patients ?? []).filter((p) => p.access.level !== 'none' && p.access.features.viewRecord);
  }

  private nameOf(patientId: string): string {
    return this.session?.patients.find((p) => p.id === patientId)?.name ?? patientId;
  }

  private async doSend(key: string): Promise<void> {
    const documents = this.send.documents.map((d) => (d === 'immunizations' || d === 'summary' ? { kind: d } : { kind: 'document', id: d }));
    try {
      await postSharing('/api/records/send', { patientId: this.send.patientId, to: this.send.to, note: this.send.note, documents }, key, activeLocale());
      this.sendPhase = { kind: 'sent' };
      void this.sent.run();
    } catch (error) {
      const e = error instanceof SharingError ? error : new SharingError(0, 'unexpected');
      this.sendPhase = { kind: 'form', error: sharingErrorText(e.code), ...(e.field === undefined ? {} : { field: e.field }) };
    }
  }

  private async doCopy(key: string): Promise<void> {
    const c = this.copy;
    const body = {
      patientId: c.patientId, format: c.format,
      ...(c.from === '' ? {} : { from: c.from }), ...(c.to === '' ? {} : { to: c.to }),
      ...(c.format === 'paper' ? { address: { line1: c.line1, city: c.city, state: c.state, postalCode: c.postalCode } } : { email: c.email }),
    };
    try {
      await postSharing('/api/him/copy-requests', body, key, activeLocale());
      this.copyPhase = { kind: 'sent' };
      void this.him.run();
    } catch (error) {
      const e = error instanceof SharingError ? error : new SharingError(0, 'unexpected');
      this.copyPhase = { kind: 'form', error: sharingErrorText(e.code), ...(e.field === undefined ? {} : { field: e.field }) };
    }
  }

  private renderSendForm() {
    const d = this.send;
    const phase = this.sendPhase;
    if (phase.kind === 'sent') {
      return html`<p class="done" role="status">${msg('Sent. You can follow its delivery under Sent records.', { id: 'sharing.sent' })}</p>
        <button type="button" @click=${() => { this.send = { patientId: '', documents: [], to: '', note: '' }; this.sendPhase = { kind: 'form' }; }}>${msg('Send other records', { id: 'sharing.send-more' })}</button>`;
    }
    if (phase.kind === 'confirm') {
      return html`<div class="confirm">
        <p>${msg(str`Send ${d.documents.length} item(s) from ${this.nameOf(d.patientId)}'s record to ${d.to}?`, { id: 'sharing.confirm' })}</p>
        <div class="actions">
          <button type="button" @click=${() => void this.doSend(phase.key)}>${msg('Send records', { id: 'sharing.send' })}</button>
          <button type="button" @click=${() => { this.sendPhase = { kind: 'form' }; }}>${msg('Back', { id: 'sharing.back' })}</button>
        </div></div>`;
    }
    const toggle = (value: string, on: boolean) => { this.send = { ...d, documents: on ? [...d.documents, value] : d.documents.filter((x) => x !== value) }; };
    const submit = (event: Event) => {
      event.preventDefault();
      if (d.patientId === '' || d.documents.length === 0) { this.sendPhase = { kind: 'form', error: msg('Choose a child and at least one document.', { id: 'sharing.choose' }), field: 'documents' }; return; }
      this.sendPhase = { kind: 'confirm', key: newIdempotencyKey() };
    };
    const option = (value: string, label: string) => html`<label><input type="checkbox" .checked=${d.documents.includes(value)} @change=${(e: Event) => toggle(value, (e.target as HTMLInputElement).checked)}>${label}</label>`;
    return html`<form @submit=${submit} novalidate>
      ${phase.error ? html`<p class="error" role="alert">${phase.error}</p>` : nothing}
      <label>${msg('Child', { id: 'sharing.child' })}
        <select .value=${d.patientId} @change=${(e: Event) => { this.send = { ...d, patientId: (e.target as HTMLSelectElement).value, documents: [] }; }}>
          <option value="">${msg('Choose…', { id: 'sharing.choose-child' })}</option>
          ${this.senders.map((p) => html`<option value=${p.id} ?selected=${p.id === d.patientId}>${p.name}</option>`)}
        </select>
      </label>
      ${d.patientId === '' ? nothing : html`<fieldset><legend>${msg('Documents', { id: 'sharing.documents' })}</legend>
        ${this.documents.render({
          pending: () => html`<p role="status">${msg('Loading…', { id: 'sharing.loading' })}</p>`,
          complete: (docs) => docs.map((doc) => option(doc.id ?? '', `${doc.content[0]?.attachment.title ?? doc.description ?? ''} (${(doc.date ?? '').slice(0, 10)})`)),
          error: () => html`<p class="error">${msg('The documents could not be loaded.', { id: 'sharing.documents-failed' })}</p>`,
        })}
        ${option('immunizations', msg('Immunization record', { id: 'sharing.immunizations' }))}
        ${option('summary', msg('Health summary (health issues, allergies, medicines)', { id: 'sharing.summary' }))}
      </fieldset>`}
      <label>${msg("The doctor's Direct address", { id: 'sharing.to' })}
        <input type="email" autocomplete="off" .value=${d.to} aria-invalid=${phase.field === 'to' ? 'true' : 'false'} @input=${(e: Event) => { this.send = { ...d, to: (e.target as HTMLInputElement).value }; }}>
      </label>
      <label>${msg('Note for the doctor (optional)', { id: 'sharing.note' })}
        <textarea maxlength="2000" .value=${d.note} @input=${(e: Event) => { this.send = { ...d, note: (e.target as HTMLTextAreaElement).value }; }}></textarea>
      </label>
      <div class="actions"><button type="submit">${msg('Continue', { id: 'sharing.continue' })}</button></div>
    </form>`;
  }

  private renderCopyForm() {
    const c = this.copy;
    const phase = this.copyPhase;
    if (phase.kind === 'sent') {
      return html`<p class="done" role="status">${msg('Your request was sent to Health Information Management.', { id: 'sharing.copy-sent' })}</p>
        <button type="button" @click=${() => { this.copyPhase = { kind: 'form' }; }}>${msg('Make another request', { id: 'sharing.copy-more' })}</button>`;
    }
    if (phase.kind === 'confirm') {
      return html`<div class="confirm">
        <p>${msg(str`Ask Health Information Management for a complete copy of ${this.nameOf(c.patientId)}'s record?`, { id: 'sharing.copy-confirm' })}</p>
        <div class="actions">
          <button type="button" @click=${() => void this.doCopy(phase.key)}>${msg('Send request', { id: 'sharing.copy-send' })}</button>
          <button type="button" @click=${() => { this.copyPhase = { kind: 'form' }; }}>${msg('Back', { id: 'sharing.back' })}</button>
        </div></div>`;
    }
    const set = (patch: Partial<CopyDraft>) => { this.copy = { ...c, ...patch }; };
    const value = (e: Event) => (e.target as HTMLInputElement).value;
    const submit = (event: Event) => {
      event.preventDefault();
      if (c.patientId === '') { this.copyPhase = { kind: 'form', error: msg('Choose a child.', { id: 'sharing.copy-choose' }), field: 'patientId' }; return; }
      this.copyPhase = { kind: 'confirm', key: newIdempotencyKey() };
    };
    return html`<form @submit=${submit} novalidate>
      ${phase.error ? html`<p class="error" role="alert">${phase.error}</p>` : nothing}
      <label>${msg('Child', { id: 'sharing.child' })}
        <select @change=${(e: Event) => set({ patientId: (e.target as HTMLSelectElement).value })}>
          <option value="">${msg('Choose…', { id: 'sharing.choose-child' })}</option>
          ${(this.session?.patients ?? []).map((p) => html`<option value=${p.id} ?selected=${p.id === c.patientId}>${p.name}</option>`)}
        </select>
      </label>
      <label>${msg('From (optional)', { id: 'sharing.from' })}<input type="date" .value=${c.from} aria-invalid=${phase.field === 'from' ? 'true' : 'false'} @input=${(e: Event) => set({ from: value(e) })}></label>
      <label>${msg('To (optional)', { id: 'sharing.until' })}<input type="date" .value=${c.to} @input=${(e: Event) => set({ to: value(e) })}></label>
      <fieldset><legend>${msg('Copies', { id: 'sharing.format' })}</legend>
        <label><input type="radio" name="format" .checked=${c.format === 'paper'} @change=${() => set({ format: 'paper' })}>${msg('On paper, by mail', { id: 'sharing.paper' })}</label>
        <label><input type="radio" name="format" .checked=${c.format === 'electronic'} @change=${() => set({ format: 'electronic' })}>${msg('Electronic, by a secure download link', { id: 'sharing.electronic' })}</label>
      </fieldset>
      ${c.format === 'paper' ? html`
        <label>${msg('Street address', { id: 'sharing.street' })}<input autocomplete="street-address" .value=${c.line1} aria-invalid=${phase.field === 'address' ? 'true' : 'false'} @input=${(e: Event) => set({ line1: value(e) })}></label>
        <label>${msg('City', { id: 'sharing.city' })}<input autocomplete="address-level2" .value=${c.city} @input=${(e: Event) => set({ city: value(e) })}></label>
        <label>${msg('State', { id: 'sharing.state' })}<input autocomplete="address-level1" maxlength="2" .value=${c.state} @input=${(e: Event) => set({ state: value(e) })}></label>
        <label>${msg('ZIP code', { id: 'sharing.zip' })}<input autocomplete="postal-code" inputmode="numeric" .value=${c.postalCode} @input=${(e: Event) => set({ postalCode: value(e) })}></label>
      ` : html`<label>${msg('Email for the download link', { id: 'sharing.email' })}<input type="email" autocomplete="email" .value=${c.email} aria-invalid=${phase.field === 'email' ? 'true' : 'false'} @input=${(e: Event) => set({ email: value(e) })}></label>`}
      <div class="actions"><button type="submit">${msg('Continue', { id: 'sharing.continue' })}</button></div>
    </form>`;
  }

  override render() {
    return html`
      <h1>${msg('Share records', { id: 'sharing.title' })}</h1>
      <section aria-labelledby="send-h">
        <h2 id="send-h">${msg('Send records to another doctor', { id: 'sharing.send-title' })}</h2>
        ${this.renderSendForm()}
      </section>
      <section aria-labelledby="sent-h">
        <h2 id="sent-h">${msg('Sent records', { id: 'sharing.sent-title' })}</h2>
        ${this.sent.render({
          complete: (sent) => sent.length === 0 ? html`<p>${msg('Nothing sent yet.', { id: 'sharing.none-sent' })}</p>` : html`<ul class="list">${sent.map((s) => html`<li>
            <strong>${this.nameOf(s.patientId)}</strong> → ${s.to}<br>${(s.sent ?? '').slice(0, 10)}: ${s.documents.join(', ')}<br>${statusText(s.status)}</li>`)}</ul>`,
          error: () => html`<p class="error">${msg('Sent records could not be loaded.', { id: 'sharing.sent-failed' })}</p>`,
        })}
      </section>
      <section aria-labelledby="copy-h">
        <h2 id="copy-h">${msg('Request a complete copy', { id: 'sharing.copy-title' })}</h2>
        ${this.him.render({
          complete: (him) => html`
            ${him.himPhone ? html`<p>${msg('Health Information Management', { id: 'sharing.him' })}: <a href="tel:${him.himPhone.replace(/[^0-9+]/g, '')}">${him.himPhone}</a></p>` : nothing}
            ${this.renderCopyForm()}
            <ul class="list">${him.children.flatMap((child) => child.requests.map((r) => html`<li><strong>${child.name}</strong>: ${(r.requested ?? '').slice(0, 10)} — ${statusText(r.status)}${r.note ? html`<br>${r.note}` : nothing}</li>`))}</ul>`,
          error: () => html`<p class="error">${msg('Your requests could not be loaded.', { id: 'sharing.him-failed' })}</p>`,
        })}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-sharing': SproutSharing;
  }
}
