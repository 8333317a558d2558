/**
 * The clinician area's pages, in navigation order. To add one (a work queue, an inbox): write it in its own file under
 * sandbox/src/ehr/ as an EhrPage and add it here.
 */
import type { EhrPage } from './ehr-page.ts';
import { html } from './ehr-page.ts';
import { careQueuePage } from './care-queue-page.ts';
import { messagesPage } from './messages-page.ts';

export const homePage: EhrPage = {
  path: '/ehr/home',
  title: 'Home',
  nav: true,
  async handle(request) {
    const others = EHR_PAGES.filter((p) => p.nav && p !== homePage);
    return {
      kind: 'html',
      title: 'Home',
      body: html`<h1>Clinician area</h1>
        <p>Signed in as ${request.practitioner.displayName} (<code>${request.practitioner.accountId}</code>).</p>
        ${others.length === 0 ? html`<p class="note">No work queues yet.</p>` : html`<ul>${others.map((p) => html`<li><a href="${p.path}">${p.title}</a></li>`)}</ul>`}`,
    };
  },
};

export const EHR_PAGES: EhrPage[] = [homePage, careQueuePage, messagesPage];
