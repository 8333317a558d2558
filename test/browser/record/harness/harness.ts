/**
 * Browser harness for <sprout-patient-record>: provides the session and formatters through @lit/context exactly as
 * <sprout-app> does, and mounts the record for a patient and section. /fhir is answered by the test's Vite plugin.
 */
import { ContextProvider } from '@lit/context';
import '../../../../app/src/styles/tokens.css';
import '../../../../app/src/record/sprout-patient-record.ts';
import type { SessionView } from '../../../../app/src/api/session.ts';
import { createFormatters } from '../../../../app/src/i18n/format.ts';
import { activeLocale, switchLocale } from '../../../../app/src/i18n/localization.ts';
import type { AppLocale } from '../../../../app/src/i18n/locales.ts';
import { formatContext, sessionContext } from '../../../../app/src/shell/contexts.ts';

export interface RecordHarness {
  mount(session: SessionView, patientId: string, section?: string): Promise<void>;
  switchLocale(locale: AppLocale): Promise<void>;
  ready: true;
}

declare global {
  interface Window {
    recordHarness: RecordHarness;
  }
}

const stage = document.getElementById('stage') as HTMLElement;
const sessionProvider = new ContextProvider(stage, { context: sessionContext });
const formatProvider = new ContextProvider(stage, { context: formatContext });

async function mount(session: SessionView, patientId: string, section?: string): Promise<void> {
  sessionProvider.setValue(session);
  formatProvider.setValue(createFormatters(activeLocale(), session.profile.timeZone));
  const record = document.createElement('sprout-patient-record');
  record.patientId = patientId;
  if (section) record.section = section;
  stage.replaceChildren(record);
  await record.updateComplete;
}

async function changeLocale(locale: AppLocale): Promise<void> {
  await switchLocale(locale);
  const session = sessionProvider.value;
  if (session) formatProvider.setValue(createFormatters(activeLocale(), session.profile.timeZone));
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}

window.recordHarness = { mount, switchLocale: changeLocale, ready: true };
document.documentElement.dataset['harnessReady'] = 'true';
