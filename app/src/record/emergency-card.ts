/**
 * The child's emergency card: one printable page with what a babysitter, coach or ER nurse needs first — allergies
 * (active ones, with reactions and risk), current medications with how to take them, active health issues (when the
 * access decision includes them), the people to call (tel: links; blank lines to write more in), and the hospital's
 * number. Rendered inside <sprout-record-print> (which owns printing one document at a time).
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import type { AllergyList, EmergencyContact, HealthIssue, MedicationItem } from '../../../fhir-mappings/src/index.ts';
import { phoneLink } from '../components/phone-links.ts';
import { labelText } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';
import { allergyCriticalityText, describeDose, noKnownAllergyText } from './record-status-labels.ts';

export interface EmergencyCardData {
  readonly issues?: readonly HealthIssue[];
  readonly allergies?: AllergyList;
  readonly medications?: readonly MedicationItem[];
  readonly contacts: readonly EmergencyContact[];
}

export function renderEmergencyCard(data: EmergencyCardData, format: Formatters, identity: TemplateResult, footer: TemplateResult): TemplateResult {
  const none = msg('None recorded.', { id: 'record.print-none' });
  const allergies = data.allergies?.allergies.filter((a) => a.clinicalStatus === undefined || a.clinicalStatus === 'active') ?? [];
  const medications = data.medications?.filter((m) => m.isActive) ?? [];
  const issues = data.issues?.filter((i) => i.isActive);
  return html`<article class="doc doc-emergency" aria-labelledby="print-emergency-h" data-testid="emergency-card">
    <h2 id="print-emergency-h">${msg('Emergency card', { id: 'record.emergency-title' })}</h2>
    ${identity}
    <h3>${msg('Allergies', { id: 'record.allergies' })}</h3>
    ${allergies.length > 0
      ? html`<ul>
          ${allergies.map((allergy) => {
            const reactions = [...new Set(allergy.reactions.flatMap((r) => r.manifestations.map((m) => labelText(m))))].join(', ');
            const risk = allergyCriticalityText(allergy.criticality);
            return html`<li>
              <strong>${labelText(allergy.substance)}</strong>${reactions ? ` — ${reactions}` : ''}${risk ? html` (<strong>${risk}</strong>)` : nothing}
            </li>`;
          })}
        </ul>`
      : (data.allergies?.noKnownAllergies.length ?? 0) > 0
        ? html`<p>${data.allergies?.noKnownAllergies.map((s) => noKnownAllergyText(s.kind)).join('; ')}</p>`
        : html`<p>${none}</p>`}
    <h3>${msg('Medications', { id: 'record.medications' })}</h3>
    ${medications.length > 0
      ? html`<ul>
          ${medications.map((medication) => {
            const how = medication.dosage.map((dose) => describeDose(dose, format)).filter((s) => s !== '').join('; ');
            return html`<li><strong>${labelText(medication.name)}</strong>${how ? ` — ${how}` : ''}</li>`;
          })}
        </ul>`
      : html`<p>${none}</p>`}
    ${issues !== undefined
      ? html`<h3>${msg('Health issues', { id: 'record.health-issues' })}</h3>
          ${issues.length > 0 ? html`<ul>${issues.map((issue) => html`<li>${labelText(issue.label)}</li>`)}</ul>` : html`<p>${none}</p>`}`
      : nothing}
    <h3>${msg('Emergency contacts', { id: 'record.emergency-contacts' })}</h3>
    ${data.contacts.length > 0
      ? html`<ul class="contacts">
          ${data.contacts.map((contact) => {
            const relationship = contact.relationships.map((r) => labelText(r)).join(', ');
            return html`<li>
              ${contact.name ?? ''}${relationship ? ` (${relationship})` : ''}${contact.phones.length > 0 ? ': ' : ''}${contact.phones.map(
                (phone, i) => html`${i > 0 ? ', ' : ''}${phoneLink(phone)}`,
              )}
            </li>`;
          })}
        </ul>`
      : nothing}
    <div class="write-in">
      <p>${msg('Write in other people to call (name and phone):', { id: 'record.emergency-write-in' })}</p>
      <span class="line"></span><span class="line"></span>
    </div>
    ${footer}
  </article>`;
}
