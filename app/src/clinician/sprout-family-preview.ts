/**
 * <sprout-family-preview>: what a clinician sees after an EHR launch (issue 14, class 8). For the launched patient,
 * each linked guardian and the patient themself: what they see online today and why — the policy core's own rule and
 * legal basis, in the clinician's words — the sentence the family reads, and the dates on which that changes.
 * Reads GET /api/clinician/family-preview/<id> (practitioners only, audited by the gateway); shows nothing it was not
 * given. Properties: `patient-id`.
 */
import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { getGateway } from '../api/gateway-client.ts';
import type { AccessFeatures, FamilyPreview, PreviewAccessState, PreviewViewer, SessionView } from '../api/session.ts';
import { accessExplanation, accessLevelLabel, resolveAccessMessageKey } from '../dashboard/access-messages.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext, sessionContext } from '../shell/contexts.ts';
import '../shell/sprout-gateway-error.ts';
import { familyPreviewStyles } from './sprout-family-preview.styles.ts';

/** What the policy lets this viewer do besides reading the record, in the clinician's words. */
export function featureLines(features: AccessFeatures): string[] {
  const lines: string[] = [];
  if (features.messages) lines.push(msg('may message the care team', { id: 'preview.feature-messages' }));
  if (features.appointmentRequests) lines.push(msg('may request appointments', { id: 'preview.feature-appointments' }));
  if (features.renewals) lines.push(msg('may request prescription renewals', { id: 'preview.feature-renewals' }));
  if (features.bills === 'full') lines.push(msg('sees bills', { id: 'preview.feature-bills' }));
  if (features.bills === 'balance-only') lines.push(msg('sees only the balance due', { id: 'preview.feature-balance' }));
  return lines;
}

@localized()
@customElement('sprout-family-preview')
export class SproutFamilyPreview extends LitElement {
  static override styles = familyPreviewStyles;

  @property({ attribute: 'patient-id' }) patientId = '';

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: SessionView;

  private readonly preview = new Task(this, {
    args: () => [this.patientId] as const,
    task: ([patientId], { signal }) =>
      getGateway<FamilyPreview>(`/api/clinician/family-preview/${encodeURIComponent(patientId)}`, signal),
  });

  override render() {
    return this.preview.render({
      initial: () => this.loading(),
      pending: () => this.loading(),
      complete: (preview) => this.renderPreview(preview),
      error: (error) => html`
        <h1>${msg('What the family sees online', { id: 'preview.title' })}</h1>
        <sprout-gateway-error .error=${error} retryable @sprout-retry=${() => void this.preview.run()}></sprout-gateway-error>
      `,
    });
  }

  private loading() {
    return html`<h1>${msg('What the family sees online', { id: 'preview.title' })}</h1>
      <p role="status">${msg('Loading…', { id: 'shell.loading' })}</p>`;
  }

  private renderPreview(preview: FamilyPreview) {
    const format = this.format;
    const today = format?.today() ?? preview.asOf.slice(0, 10);
    const date = (localDate: string) => format?.calendarDate(localDate) ?? localDate;
    return html`
      <h1>${msg('What the family sees online', { id: 'preview.title' })}</h1>
      <p class="intro">
        ${msg(str`For ${preview.patient.name}, today (${date(today)}), under the ${preview.profile.title} rules.`, { id: 'preview.intro' })}
        ${msg('Each person below is decided exactly as their own sign-in would be.', { id: 'preview.intro-how' })}
      </p>
      ${preview.viewers.map((viewer) => this.renderViewer(viewer, preview, date))}
    `;
  }

  private renderViewer(viewer: PreviewViewer, preview: FamilyPreview, date: (localDate: string) => string) {
    const headingId = `viewer-${viewer.reference.replace(/[^A-Za-z0-9-]/g, '-')}`;
    const who =
      viewer.kind === 'patient'
        ? msg('the patient', { id: 'preview.who-patient' })
        : viewer.relationship
          ? msg(str`guardian (${viewer.relationship})`, { id: 'preview.who-guardian-as' })
          : msg('guardian', { id: 'preview.who-guardian' });
    return html`
      <section aria-labelledby=${headingId} data-testid="preview-viewer" data-reference=${viewer.reference}>
        <h2 id=${headingId}>${viewer.name || msg('Unnamed person', { id: 'preview.unnamed' })} <span class="who">— ${who}</span></h2>
        <h3>${msg('Today', { id: 'preview.today' })}</h3>
        ${this.renderState(viewer.today, viewer, preview)}
        <h3>${msg('What changes, and when', { id: 'preview.changes' })}</h3>
        ${viewer.changes.length === 0
          ? html`<p>${msg('No change is foreseen.', { id: 'preview.no-change' })}</p>`
          : html`<ol class="changes">
              ${viewer.changes.map(
                (change) => html`<li>
                  <p class="change-date">${msg(str`From ${date(change.localDate)}:`, { id: 'preview.change-from' })}</p>
                  ${this.renderState(change, viewer, preview)}
                </li>`,
              )}
            </ol>`}
      </section>
    `;
  }

  private renderState(state: PreviewAccessState, viewer: PreviewViewer, preview: FamilyPreview) {
    const features = featureLines(state.features);
    const familySentence = accessExplanation(
      resolveAccessMessageKey(state.messageKey, state.level),
      preview.patient.name,
      this.session?.profile.himPhone,
    );
    return html`
      <dl>
        <dt>${msg('Online record', { id: 'preview.level' })}</dt>
        <dd class="level ${state.level}">${accessLevelLabel(state.level)}</dd>
        <dt>${msg('Why (policy rule)', { id: 'preview.why' })}</dt>
        <dd>
          <code>${state.reason}</code>${state.rule ? html` · <code>${state.rule}</code>` : nothing}
          ${state.legalBasis.length > 0
            ? html`<ul class="basis">
                ${state.legalBasis.map((line) => html`<li>${line}</li>`)}
              </ul>`
            : nothing}
        </dd>
        <dt>${msg('Besides the record', { id: 'preview.features' })}</dt>
        <dd>${features.length > 0 ? features.join('; ') : msg('nothing else', { id: 'preview.features-none' })}</dd>
        <dt>${viewer.kind === 'patient' ? msg('The patient reads', { id: 'preview.reads-patient' }) : msg('The guardian reads', { id: 'preview.reads-guardian' })}</dt>
        <dd><q>${familySentence}</q></dd>
      </dl>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-family-preview': SproutFamilyPreview;
  }
}
