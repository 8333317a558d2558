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
          ${nextChange !== undefined ? html`<p class="next-change">${nextChange}</p>` : nothing}
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
