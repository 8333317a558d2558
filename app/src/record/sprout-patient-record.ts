/**
 * <sprout-patient-record patient-id section>: the child's record, mounted by the shell for /patient/:id[/:section].
 *
 * Flow: the session (from context) says what this person may see for this patient (level, features, nextChange);
 * record-sections.ts turns the level into the sections offered; record-data.ts loads the section's data through the
 * /fhir facade (Patient + the section's searches in parallel, aborted when the route changes); record-view-models.ts
 * maps it with fhir-mappings; a section element renders the view models.
 *
 * - Level "none": only <sprout-restricted-notice>; no record request is made at all.
 * - Level "allow-listed": the notice, then only the allow-listed sections, each with the one generic note.
 * - A patient not in the session, or a 404 on the Patient (hidden or missing — the gateway makes them identical),
 *   shows the same "not available" message.
 * - Any other failure shows a localized error with a Retry button.
 */
import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { messageForError } from '../api/error-messages.ts';
import { GatewayError } from '../api/gateway-client.ts';
import type { SessionPatientView, SessionView } from '../api/session.ts';
import '../components/sprout-load-state.ts';
import { phoneLink } from '../components/phone-links.ts';
import '../components/sprout-patient-banner.ts';
import '../components/sprout-restricted-notice.ts';
import { LOAD_MORE_EVENT, type LoadMoreEvent } from '../components/show-more.ts';
import type { Formatters } from '../i18n/format.ts';
import { formatContext, sessionContext } from '../shell/contexts.ts';
import { recordPath } from '../shell/router.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { fetchPage, loadSection, type RecordQueryName, type ResourcePage, type SectionPages } from './record-data.ts';
import { isRecordSection, resolveSection, scopeForLevel, type RecordScope, type RecordSection } from './record-sections.ts';
import { buildViewModels, type SectionViewModels } from './record-view-models.ts';
import './sprout-record-appointments.ts';
import './sprout-record-documents.ts';
import './sprout-record-print.ts';
import './sprout-record-reports.ts';
import './sprout-record-results.ts';
import './sprout-record-summary.ts';
import './sprout-record-visits.ts';
import { patientRecordStyles } from './sprout-patient-record.styles.ts';
import type { FhirResource } from 'fhir/r4';

interface LoadedSection {
  readonly patient: FhirResource;
  readonly pages: SectionPages;
}

const PAGED_LISTS: Readonly<Record<string, RecordQueryName>> = { encounters: 'encounters', documents: 'documents' };

export function sectionLabel(section: RecordSection): string {
  switch (section) {
    case 'summary':
      return msg('Summary', { id: 'record.section-summary' });
    case 'results':
      return msg('Test results', { id: 'record.section-results' });
    case 'imaging':
      return msg('Imaging', { id: 'record.section-imaging' });
    case 'visits':
      return msg('Visits', { id: 'record.visits' });
    case 'documents':
      return msg('Documents', { id: 'record.documents' });
    case 'appointments':
      return msg('Appointments', { id: 'record.section-appointments' });
    case 'print':
      return msg('Print', { id: 'record.section-print' });
    default:
      return '';
  }
}

@localized()
@customElement('sprout-patient-record')
export class SproutPatientRecord extends LitElement {
  static override styles = [sharedStyles, patientRecordStyles];

  @property({ attribute: 'patient-id' }) patientId = '';
  @property({ reflect: true }) section?: string;

  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: SessionView;

  @consume({ context: formatContext, subscribe: true })
  @property({ attribute: false })
  format?: Formatters;

  /** Pages fetched with "Show more" beyond the first, per list; cleared whenever the section reloads. */
  @state() private extraPages: SectionPages = {};
  @state() private loadingMore?: RecordQueryName;
  @state() private loadMoreError = '';

  private viewModelCache?: { loaded: LoadedSection; extra: SectionPages; models: SectionViewModels };

  private readonly loadTask = new Task(this, {
    task: async ([patientId, section, level], { signal }): Promise<LoadedSection | undefined> => {
      this.extraPages = {};
      this.loadMoreError = '';
      if (patientId === '' || section === undefined || level === undefined) return undefined;
      return loadSection(patientId, section, scopeForLevel(level), signal);
    },
    args: () => [this.patientId, this.currentSection(), this.patientView()?.access.level] as const,
  });

  constructor() {
    super();
    this.addEventListener(LOAD_MORE_EVENT, (event: LoadMoreEvent) => void this.loadMore(event.detail.list));
  }

  private patientView(): SessionPatientView | undefined {
    return this.session?.patients.find((patient) => patient.id === this.patientId);
  }

  private scope(): RecordScope {
    return scopeForLevel(this.patientView()?.access.level);
  }

  private currentSection(): RecordSection | undefined {
    if (!this.patientView() || this.sectionNotOffered()) return undefined;
    return resolveSection(this.section, this.scope());
  }

  /** The URL names a real section that this person's access does not offer (e.g. results under the allow-list). */
  private sectionNotOffered(): RecordSection | undefined {
    const requested = this.section;
    const scope = this.scope();
    return isRecordSection(requested) && scope.sections.length > 0 && !scope.sections.includes(requested) ? requested : undefined;
  }

  override render(): TemplateResult {
    if (!this.session) return html`<sprout-load-state state="loading"></sprout-load-state>`;
    const patient = this.patientView();
    if (!patient) return this.renderNotAvailable();
    const scope = this.scope();
    const section = this.currentSection();
    const notice =
      patient.access.level === 'full'
        ? nothing
        : html`<sprout-restricted-notice
            .access=${patient.access}
            .availableActions=${patient.availableActions}
            .relationship=${patient.relationship}
            patient-name=${patient.name}
            .himPhone=${this.session.profile.himPhone}
          ></sprout-restricted-notice>`;
    const notOffered = this.sectionNotOffered();
    if (notOffered !== undefined) {
      // Say so, rather than quietly showing another section under this URL. The words are the same for every
      // section and every reason, so they reveal nothing about what the record holds.
      return html`${this.backLink()}
        <h1>${patient.name}</h1>
        ${notice} ${this.renderNav(scope, undefined)}
        <div id="section" data-testid="record-section">
          <h2>${sectionLabel(notOffered)}</h2>
          <sprout-load-state
            state="empty"
            data-testid="section-not-available"
            message=${msg('This part of the record isn’t available online. The parts listed above are.', { id: 'record.section-not-offered' })}
          ></sprout-load-state>
        </div>`;
    }
    if (section === undefined) {
      return html`${this.backLink()}
        <h1>${patient.name}</h1>
        ${notice}`;
    }
    return html`
      ${this.backLink()}
      ${this.loadTask.render({
        initial: () => html`<h1>${patient.name}</h1>`,
        pending: () => html`<h1>${patient.name}</h1>`,
        complete: (loaded) =>
          loaded ? html`<sprout-patient-banner .banner=${this.viewModels(loaded).banner}></sprout-patient-banner>` : html`<h1>${patient.name}</h1>`,
        error: () => html`<h1>${patient.name}</h1>`,
      })}
      ${notice} ${this.renderNav(scope, section)}
      <div id="section" data-testid="record-section">
        ${this.loadTask.render({
          initial: () => html`<sprout-load-state state="loading"></sprout-load-state>`,
          pending: () => html`<sprout-load-state state="loading"></sprout-load-state>`,
          complete: (loaded) => (loaded ? this.renderSection(section, scope, this.viewModels(loaded)) : nothing),
          error: (error) => this.renderError(error),
        })}
      </div>
    `;
  }

  /** Back to the dashboard, in the reader's words: "All children" only for someone who looks after others. */
  private backLink(): TemplateResult {
    const patients = this.session?.patients ?? [];
    const onlyOwnRecord = patients.length > 0 && patients.every((patient) => patient.relationship === 'self');
    return html`<a class="back no-print" href="/"
      >${onlyOwnRecord ? msg('← Home', { id: 'record.back-home' }) : msg('← All children', { id: 'record.back-to-family' })}</a
    >`;
  }

  private renderNotAvailable(): TemplateResult {
    const phone = this.session?.profile.himPhone;
    return html`${this.backLink()}
      <h1>${msg('This record isn’t available', { id: 'record.not-available-heading' })}</h1>
      <sprout-load-state
        state="empty"
        data-testid="not-available"
        message=${msg(
          'We can’t show this record. If you think you should be able to see it, please contact Health Information Management.',
          { id: 'record.not-available' },
        )}
      ></sprout-load-state>
      ${phone ? html`<p class="him-phone">${msg('Health Information Management:', { id: 'record.him-phone' })} ${phoneLink(phone)}</p>` : nothing}`;
  }

  private renderError(error: unknown): TemplateResult {
    if (error instanceof GatewayError && error.kind === 'not-found') return this.renderNotAvailable();
    return html`<sprout-load-state state="error" message=${messageForError(error)} @sprout-retry=${() => void this.loadTask.run()}></sprout-load-state>`;
  }

  private renderNav(scope: RecordScope, current: RecordSection | undefined): TemplateResult {
    return html`<nav aria-label=${msg('Sections of the record', { id: 'record.nav-label' })}>
      <ul>
        ${scope.sections.map(
          (section) => html`<li>
            <a href=${recordPath(this.patientId, section)} aria-current=${section === current ? 'page' : 'false'} data-section=${section}
              >${sectionLabel(section)}</a
            >
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  private viewModels(loaded: LoadedSection): SectionViewModels {
    const cache = this.viewModelCache;
    if (cache && cache.loaded === loaded && cache.extra === this.extraPages) return cache.models;
    const pages: SectionPages = { ...loaded.pages };
    for (const [name, extra] of Object.entries(this.extraPages) as Array<[RecordQueryName, ResourcePage]>) {
      const first = pages[name];
      pages[name] = extra.next === undefined
        ? { resources: [...(first?.resources ?? []), ...extra.resources] }
        : { resources: [...(first?.resources ?? []), ...extra.resources], next: extra.next };
    }
    const models = buildViewModels(loaded.patient, pages, new Date(), this.format?.timeZone ?? this.session?.profile.timeZone ?? 'America/Los_Angeles');
    this.viewModelCache = { loaded, extra: this.extraPages, models };
    return models;
  }

  /** The cursor of the next page of a list: the last "Show more" page's, else the first page's. */
  private nextCursor(name: RecordQueryName): string | undefined {
    const extra = this.extraPages[name];
    if (extra) return extra.next;
    return this.loadTask.value?.pages[name]?.next;
  }

  private async loadMore(list: string): Promise<void> {
    const name = PAGED_LISTS[list];
    const next = name ? this.nextCursor(name) : undefined;
    if (!name || !next || this.loadingMore) return;
    const loadedFor = this.loadTask.value;
    this.loadingMore = name;
    this.loadMoreError = '';
    try {
      const page = await fetchPage(next, AbortSignal.timeout(30_000));
      if (this.loadTask.value !== loadedFor) return; // the route changed meanwhile
      const previous = this.extraPages[name];
      const resources = [...(previous?.resources ?? []), ...page.resources];
      this.extraPages = { ...this.extraPages, [name]: page.next === undefined ? { resources } : { resources, next: page.next } };
    } catch (error) {
      this.loadMoreError = messageForError(error);
    } finally {
      this.loadingMore = undefined;
    }
  }

  private renderSection(section: RecordSection, scope: RecordScope, models: SectionViewModels): TemplateResult {
    const partial = scope.partial;
    const moreError = this.loadMoreError
      ? html`<sprout-load-state state="error" message=${this.loadMoreError} @sprout-retry=${() => (this.loadMoreError = '')}></sprout-load-state>`
      : nothing;
    switch (section) {
      case 'summary':
        return html`<sprout-record-summary
          .issues=${models.issues}
          .allergies=${models.allergies}
          .medications=${models.medications}
          .immunizations=${models.immunizations}
          .growth=${models.growth}
          .sex=${models.banner?.sex}
          birth-date=${models.banner?.birthDate?.precision === 'day' ? models.banner.birthDate.iso : ''}
          ?partial=${partial}
        ></sprout-record-summary>`;
      case 'results':
        return html`<sprout-record-results .results=${models.results} ?partial=${partial}></sprout-record-results>`;
      case 'imaging':
        return html`<sprout-record-reports .reports=${models.otherReports ?? []} ?partial=${partial}></sprout-record-reports>`;
      case 'visits':
        return html`<sprout-record-visits
            .visits=${models.visits ?? []}
            ?moreOnServer=${this.nextCursor('encounters') !== undefined}
            ?loadingMore=${this.loadingMore === 'encounters'}
            ?partial=${partial}
          ></sprout-record-visits>
          ${moreError}`;
      case 'documents':
        return html`<sprout-record-documents
            .documents=${models.documents ?? []}
            ?onlyNonConfidential=${scope.partial}
            patient-name=${this.patientView()?.name ?? ''}
            ?moreOnServer=${this.nextCursor('documents') !== undefined}
            ?loadingMore=${this.loadingMore === 'documents'}
            ?partial=${partial}
          ></sprout-record-documents>
          ${moreError}`;
      case 'appointments':
        return html`<sprout-record-appointments .appointments=${models.appointments} ?partial=${partial} patient-id=${this.patientId}></sprout-record-appointments>`;
      case 'print':
        return html`<sprout-record-print
          .banner=${models.banner}
          .issues=${models.issues}
          .allergies=${models.allergies}
          .medications=${models.medications}
          .immunizations=${models.immunizations}
          .contacts=${models.contacts}
          hospital-name=${this.session?.profile.hospitalName ?? ''}
          clinic-phone=${this.session?.profile.himPhone ?? ''}
        ></sprout-record-print>`;
      default:
        return html``;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sprout-patient-record': SproutPatientRecord;
  }
}
