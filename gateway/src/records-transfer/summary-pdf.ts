/**
 * The generated health summary sent to another physician: health issues, allergies and medications as a plain PDF
 * (pdf.ts), only from records the policy showed the sender. Pure. English: it is read by a clinician.
 */
import type { AllergyIntolerance, Condition, Immunization, MedicationRequest, Patient } from 'fhir/r4';
import { renderPdf, type PdfLine } from '../billing/pdf.ts';

const text = (concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined): string =>
  concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? concept?.coding?.[0]?.code ?? 'Unnamed';
const day = (value: string | undefined): string => (value === undefined ? '' : value.slice(0, 10));

function header(patient: Patient, title: string, generated: string): PdfLine[] {
  const name = patient.name?.[0];
  return [
    { text: "Sprout Children's Hospital", size: 16, bold: true },
    { text: title, size: 13, bold: true, spaceBefore: 4 },
    { text: `Patient: ${[name?.given?.join(' '), name?.family].filter(Boolean).join(' ')}   Date of birth: ${patient.birthDate ?? ''}`, spaceBefore: 8 },
    { text: `Generated ${generated} from the hospital record, as shared by the family through Sprout.`, size: 8 },
  ];
}

export function healthSummaryPdf(input: {
  readonly patient: Patient;
  readonly conditions: readonly Condition[];
  readonly allergies: readonly AllergyIntolerance[];
  readonly medications: readonly MedicationRequest[];
  readonly generated: string;
}): Uint8Array {
  const lines = header(input.patient, 'Health summary: health issues, allergies, medications', input.generated);
  const section = (title: string, items: string[]) => {
    lines.push({ text: title, bold: true, size: 12, spaceBefore: 12 });
    if (items.length === 0) lines.push({ text: 'None recorded.' });
    for (const item of items) lines.push({ text: `• ${item}` });
  };
  section('Health issues', input.conditions.map((c) => `${text(c.code)}${c.clinicalStatus?.coding?.[0]?.code ? ` (${c.clinicalStatus.coding[0].code})` : ''}${c.onsetDateTime ? `, since ${day(c.onsetDateTime)}` : ''}`));
  section('Allergies', input.allergies.map((a) => `${text(a.code)}${a.reaction?.[0]?.manifestation?.[0] ? ` — ${text(a.reaction[0].manifestation[0])}` : ''}`));
  section('Medications', input.medications.map((m) => `${text(m.medicationCodeableConcept)}${m.dosageInstruction?.[0]?.text ? ` — ${m.dosageInstruction[0].text}` : ''} (${m.status})`));
  return renderPdf({ title: 'Health summary', lines });
}

export function immunizationRecordPdf(input: { readonly patient: Patient; readonly immunizations: readonly Immunization[]; readonly generated: string }): Uint8Array {
  const lines = header(input.patient, 'Immunization record', input.generated);
  const given = [...input.immunizations].filter((i) => i.status === 'completed').sort((a, b) => (a.occurrenceDateTime ?? '').localeCompare(b.occurrenceDateTime ?? ''));
  if (given.length === 0) lines.push({ text: 'No immunizations recorded.', spaceBefore: 12 });
  else lines.push({ text: 'Vaccines given', bold: true, size: 12, spaceBefore: 12 });
  for (const i of given) lines.push({ text: `${day(i.occurrenceDateTime)}  ${text(i.vaccineCode)}${i.lotNumber ? ` (lot ${i.lotNumber})` : ''}` });
  return renderPdf({ title: 'Immunization record', lines });
}
