/**
 * EHR-launch simulator: the page a clinician (or any account) would click from inside the EHR. Choose the user,
 * the patient and the app; it stores a launch context and sends the browser to the app's launch URL with
 * `iss={fhirBase}&launch=<opaque id>` (SMART App Launch §EHR launch).
 */
import type { Patient } from 'fhir/r4';
import { formatName, type SandboxAccount } from '../auth/accounts.ts';
import type { SandboxClient } from '../auth/authorization-server.ts';
import type { LaunchContextStore } from '../auth/launch-contexts.ts';
import { html, page, raw } from './html.ts';

export interface LaunchSimulatorInput {
  readonly accounts: readonly SandboxAccount[];
  readonly patients: readonly Patient[];
  readonly clients: readonly SandboxClient[];
}

export function launchSimulatorPage(input: LaunchSimulatorInput, path: string, error?: string): string {
  const launchable = input.clients.filter((client) => client.launchUrl);
  const clinicianFirst = [...input.accounts].sort((a, b) =>
    Number(b.resourceType === 'Practitioner') - Number(a.resourceType === 'Practitioner') || a.username.localeCompare(b.username));
  return page('EHR launch simulator', html`
    <h1>EHR launch simulator</h1>
    <p class="note">Pretend you are signed in to the EHR with a patient's chart open, then launch an app.</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : raw('')}
    ${launchable.length === 0 ? html`<p class="error" role="alert">No registered app has a launch URL.</p>` : raw('')}
    <form method="post" action="${path}">
      <label for="user">EHR user</label>
      <select id="user" name="user">${clinicianFirst.map((account) =>
        html`<option value="${account.accountId}">${account.displayName} — ${account.username} (${account.resourceType})</option>`)}</select>
      <label for="patient">Patient chart</label>
      <select id="patient" name="patient">${input.patients.map((patient) =>
        html`<option value="${patient.id ?? ''}">${formatName(patient.name)}${patient.birthDate ? ` — born ${patient.birthDate}` : ''} (Patient/${patient.id ?? ''})</option>`)}</select>
      <label for="client">App</label>
      <select id="client" name="client">${launchable.map((client) =>
        html`<option value="${client.clientId}">${client.clientId} — ${client.launchUrl ?? ''}</option>`)}</select>
      <label><input type="checkbox" name="need_patient_banner" value="true" checked> The app must show a patient banner</label>
      <button type="submit">Launch app</button>
    </form>`);
}

export type LaunchDecision =
  | { readonly ok: true; readonly location: string }
  | { readonly ok: false; readonly error: string };

/** Validates the simulator form and creates the launch; pure apart from the store. */
export function createLaunch(form: URLSearchParams, input: LaunchSimulatorInput, fhirBaseUrl: string, launches: LaunchContextStore): LaunchDecision {
  const account = input.accounts.find((candidate) => candidate.accountId === form.get('user'));
  if (!account) return { ok: false, error: 'Choose an EHR user.' };
  const patient = input.patients.find((candidate) => candidate.id !== undefined && candidate.id === form.get('patient'));
  if (!patient?.id) return { ok: false, error: 'Choose a patient.' };
  const client = input.clients.find((candidate) => candidate.clientId === form.get('client') && candidate.launchUrl);
  if (!client?.launchUrl) return { ok: false, error: 'Choose an app that has a launch URL.' };
  const launch = launches.create({
    accountId: account.accountId,
    patient: patient.id,
    needPatientBanner: form.get('need_patient_banner') === 'true',
  });
  const target = new URL(client.launchUrl);
  target.searchParams.set('iss', fhirBaseUrl);
  target.searchParams.set('launch', launch);
  return { ok: true, location: target.href };
}
