/**
 * <sprout-restricted-notice>: explains, kindly and from the policy decision alone, why a child's record is not
 * (fully) shown online: the law in one sentence, what still works, whom to call for paper copies, and when access
 * changes. It reads only the decision (level, messageKey, features, nextChange) — never the record — so it cannot
 * hint that any particular hidden item exists; for "none" the sentence never names which rule applied
 * (resolveAccessMessageKey falls back to the neutral "isn't active" wording for unknown keys).
 *
 * The sentences are the dashboard's (app/src/dashboard/access-messages.ts), so the child's card and page say the
 * same thing in both languages.
 *
 * Properties: `access` (SessionPatientView.access), `patientName` (display name), `himPhone` (profile.himPhone).
 * Reflects `level` as an attribute for styling.
 */
import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SessionPatientView } from '../api/session.ts';
import { accessExplanation, nextChangeSentence, resolveAccessMessageKey, stillAvailable } from '../dashboard/access-messages.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext } from '../shell/contexts.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fallbackFormatters } from './format-fallback.ts';
import { telHref, withPhoneLinks } from './phone-links.ts';
import { restrictedNoticeStyles } from './sprout-restricted-notice.styles.ts';

export { telHref };

@localized()
@customElement('sprout-restricted-notice')
export class SproutRestrictedNotice extends LitElement {
  static override styles = [sharedStyles, restrictedNoticeStyles];

  @property({ attribute: false }) access?: SessionPatientView['access'];
  /** SessionPatientView.availableActions: what this person can really do (nothing promised when absent). */
  @property({ attribute: false }) availableActions?: SessionPatientView['availableActions'];
  /** SessionPatientView.relationship: the reader's own record is spoken of as "your record". */
  @property({ attribute: false }) relationship?: SessionPatientView['relationship'];
  @property({ attribute: 'patient-name' }) patientName = '';
  @property({ attribute: 'him-phone' }) himPhone?: string;
  @property({ reflect: true }) level?: string;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  override willUpdate(): void {
    this.level = this.access?.level;
  }

  override render(): TemplateResult | typeof nothing {
    const access = this.access;
    if (!access || access.level === 'full') return nothing;
    const format = this.format ?? fallbackFormatters();
    const name = this.patientName || msg('this child', { id: 'record.this-child', desc: 'Stands in for a name that is not known' });
    const key = resolveAccessMessageKey(access.messageKey, access.level);
    const stillWorks = [
      ...(access.level === 'allow-listed'
        ? [msg('See allergies, immunizations, medications, appointments and documents shared with families', { id: 'record.notice-allow-list' })]
        : []),
      ...stillAvailable(this.availableActions),
    ];
    const phoneHref = telHref(this.himPhone);
    const nextChange =
      access.nextChange === undefined
        ? undefined
        : nextChangeSentence(access.level, access.nextChange, format.calendarDate(access.nextChange.localDate), this.patientName);
    const headingId = 'restricted-heading';

    return html`
      <section aria-labelledby=${headingId} data-testid="restricted-notice">
        <h2 id=${headingId}>
          ${this.relationship === 'self'
            ? access.level === 'allow-listed'
              ? msg('Part of your record is available online', { id: 'record.notice-heading-partial-self' })
              : msg("Your record isn't available online", { id: 'record.notice-heading-none-self' })
            : access.level === 'allow-listed'
              ? msg(str`Part of ${name}'s record is available online`, { id: 'record.notice-heading-partial' })
              : msg(str`${name}'s record isn't available online`, { id: 'record.notice-heading-none' })}
        </h2>
        <p>${withPhoneLinks(accessExplanation(key, name, this.himPhone))}</p>

        <h3>${msg('What you can still do online', { id: 'record.notice-still-works' })}</h3>
        ${stillWorks.length > 0
          ? html`<ul>
              ${stillWorks.map((item) => html`<li>${item}</li>`)}
            </ul>`
          : html`<p>${msg('Nothing else is available online for this record at the moment.', { id: 'record.notice-nothing-else' })}</p>`}

        <h3>${msg('Paper copies', { id: 'record.notice-paper-heading' })}</h3>
        <p>
          ${msg('For a paper copy of the records, please call Health Information Management.', { id: 'record.notice-paper' })}
          ${this.himPhone
            ? phoneHref
              ? html`<a href=${phoneHref}>${this.himPhone}</a>`
              : html`<span>${this.himPhone}</span>`
            : nothing}
        </p>

        ${nextChange !== undefined ? html`<p class="next-change">${nextChange}</p>` : nothing}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-restricted-notice': SproutRestrictedNotice;
  }
}
