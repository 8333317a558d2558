/**
 * The family dashboard: every person the signed-in user may act for, as a card with its access status.
 * Reads the session from context; makes no requests of its own.
 */
import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SessionView } from '../api/session.ts';
import { sessionContext } from '../shell/contexts.ts';
import { himContact } from './access-messages.ts';
import { familyDashboardStyles } from './sprout-family-dashboard.styles.ts';
import './sprout-child-card.ts';

@localized()
@customElement('sprout-family-dashboard')
export class SproutFamilyDashboard extends LitElement {
  static override styles = familyDashboardStyles;

  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: SessionView;

  override render() {
    const session = this.session;
    if (!session) return nothing;
    const onlySelf = session.patients.length === 1 && session.patients[0]?.relationship === 'self';
    return html`
      <h1>${onlySelf ? msg('Your health record', { id: 'dashboard.title-self' }) : msg('Your family', { id: 'dashboard.title' })}</h1>
      <p class="intro">${msg(str`Signed in as ${session.user.name}`, { id: 'dashboard.signed-in-as' })}</p>
      ${session.patients.length === 0
        ? html`<p>
            ${msg(str`No records are linked to your account yet. For help, please contact ${himContact(session.profile.himPhone)}.`, {
              id: 'dashboard.empty',
            })}
          </p>`
        : html`<ul class="cards">
            ${session.patients.map(
              (patient) => html`<li>
                <sprout-child-card .patient=${patient} .himPhone=${session.profile.himPhone} .readerGender=${session.user.gender}></sprout-child-card>
              </li>`,
            )}
          </ul>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-family-dashboard': SproutFamilyDashboard;
  }
}
