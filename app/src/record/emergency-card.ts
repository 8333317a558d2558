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

/** Styles of the offline copy: readable on a phone with no network, printable, no scripts, nothing remote. */
const OFFLINE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:40rem;color:#1b1b1b}' +
  'h2{font-size:1.4rem;margin:0 0 .5rem}h3{font-size:1.1rem;margin:1rem 0 .25rem}ul{padding-inline-start:1.25rem}' +
  'a{color:#0b5394}.line{display:block;border-bottom:1px solid #333;height:2rem}.printed{color:#555;font-size:.875rem}';

/**
 * A self-contained HTML copy of the rendered card to keep on a phone: the card's own markup (text already escaped by
 * the DOM), a few inline styles, no scripts, no remote resources. tel: links still work offline.
 */
export function offlineCardHtml(card: Element, title: string, lang: string): string {
  const clone = card.cloneNode(true) as Element;
  clone.querySelectorAll('button, .no-print').forEach((node) => node.remove());
  const body = clone.outerHTML.replace(/<!--[^>]*-->/g, '');
  const escapedTitle = title.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
  const safeLang = /^[a-z]{2}(-[A-Za-z0-9]+)*$/.test(lang) ? lang : 'en';
  return `<!doctype html><html lang="${safeLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escapedTitle}</title>` +
    `<style>${OFFLINE_CSS}</style></head><body>${body}</body></html>`;
}
