/**
 * One child on the family dashboard: initials avatar, name, age, the viewer's relationship, and the access status
 * with its kind explanation. Links to the record only when the access level is not "none".
 */
import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { SessionPatientView } from '../api/session.ts';
import { pediatricAge } from '../i18n/age.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { recordPath } from '../shell/router.ts';
import {
  accessExplanation,
  accessLevelLabel,
  nextChangeSentence,
  readerGender,
  relationshipLabel,
  resolveAccessMessageKey,
  stillAvailable,
} from './access-messages.ts';
import { handoverDue, ownAccessSteps, whatStays } from './handover.ts';
import { childCardStyles } from './sprout-child-card.styles.ts';
import { avatarHue, initialsOf } from './initials.ts';

@localized()
@customElement('sprout-child-card')
export class SproutChildCard extends LitElement {
  static override styles = childCardStyles;

  @property({ attribute: false }) patient?: SessionPatientView;
  /** The hospital's Health Information Management phone (SessionView.profile.himPhone). */
  @property({ attribute: false }) himPhone?: string;
  /** The reader's gender (SessionView.user.gender), for Spanish agreement; neutral wording when unknown. */
  @property({ attribute: false }) readerGender?: string;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  /** Ahead of a birthday that narrows access: what changes when, what stays, own access, print now. */
  private renderHandover(
    patient: SessionPatientView,
    next: NonNullable<SessionPatientView['access']['nextChange']>,
    nextChange: string | undefined,
    format: Formatters,
  ) {
    const date = format.calendarDate(next.localDate);
    const headingId = `handover-${patient.id}`;
    const afterKey = resolveAccessMessageKey(next.messageKey, next.level);
    return html`<section class="handover" aria-labelledby=${headingId} data-testid="handover">
      <h3 id=${headingId}>${msg(str`Getting ready for ${date}`, { id: 'handover.heading' })}</h3>
      <p>${nextChange ?? ''} ${afterKey === 'access.guardian.full' ? '' : accessExplanation(afterKey, patient.name, this.himPhone)}</p>
      <p>${whatStays(next.level, patient.name)}</p>
      <p>${ownAccessSteps(next.messageKey, patient.name)}</p>
      ${patient.access.level !== 'none'
        ? html`<p class="no-print">
            <a href=${recordPath(patient.id, 'print')}>${msg(str`Print ${patient.name}'s record now`, { id: 'handover.print' })}</a>
          </p>`
        : nothing}
    </section>`;
  }

  override render() {
    const patient = this.patient;
    const format = this.format;
    if (!patient || !format) return nothing;
    const { access } = patient;
    const key = resolveAccessMessageKey(access.messageKey, access.level);
    const age = key === 'access.deceased.contact-him' ? '' : format.age(pediatricAge(patient.birthDate, format.today()));
    const gender = readerGender(this.readerGender);
    const relationship = relationshipLabel(patient.relationship, gender);
    const meta = [age === '' ? '' : msg(str`Age ${age}`, { id: 'dashboard.age' }), relationship].filter((part) => part !== '');
    const stillWorks = access.level === 'full' ? [] : stillAvailable(patient.availableActions);
    const canOpen = access.level !== 'none';
    const nextChange =
      access.nextChange === undefined
        ? undefined
        : nextChangeSentence(access.level, access.nextChange, format.calendarDate(access.nextChange.localDate), patient.name);
    const headingId = `child-${patient.id}`;
    const handover = handoverDue(patient, format.today());
    return html`
      <article aria-labelledby=${headingId}>
        <div class="avatar" aria-hidden="true" style=${styleMap({ '--avatar-hue': String(avatarHue(patient.id)) })}>
          ${initialsOf(patient.name)}
        </div>
        <div class="heading">
          <h2 id=${headingId}>${patient.name}</h2>
          ${meta.length > 0 ? html`<p class="meta">${meta.join(' · ')}</p>` : nothing}
        </div>
        <div class="body">
          <p class="status ${access.level}">${accessLevelLabel(access.level)}</p>
          <p class="explanation">${accessExplanation(key, patient.name, this.himPhone, gender)}</p>
          ${stillWorks.length > 0
            ? html`<p id="still-${patient.id}">${msg('You can still:', { id: 'dashboard.still-available' })}</p>
                <ul aria-labelledby="still-${patient.id}">
                  ${stillWorks.map((item) => html`<li>${item}</li>`)}
                </ul>`
            : nothing}
          ${nextChange !== undefined && !handover ? html`<p class="next-change">${nextChange}</p>` : nothing}
          ${handover && access.nextChange !== undefined ? this.renderHandover(patient, access.nextChange, nextChange, format) : nothing}
          ${canOpen
            ? html`<p class="open-record no-print">
                <a class="button secondary" href=${recordPath(patient.id)}
                  >${msg(str`Open ${patient.name}'s record`, { id: 'dashboard.open-record' })}</a
                >
              </p>`
            : nothing}
        </div>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-child-card': SproutChildCard;
  }
}
