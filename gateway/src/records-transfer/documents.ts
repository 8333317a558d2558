/**
 * Gathers what a family chose to send, each item only if the policy shows it to the sender (the facade's policy,
 * never the browser's list): a document (DocumentReference — visit summaries, discharge documents) with its content,
 * the immunization record, or a generated health summary, both as PDFs built only from records the sender sees.
 * Anything not shown — hidden, absent, another patient's — is refused as "not permitted", the same for all three.
 */
import type { AllergyIntolerance, Binary, Condition, DocumentReference, Immunization, MedicationRequest, Resource } from 'fhir/r4';
import type { PatientAccess } from '../access/load-access.ts';
import { ActionError } from '../actions/action-errors.ts';
import { searchAll } from '../care-requests/care-reads.ts';
import { binaryReferenceOf } from '../fhir/compartment.ts';
import type { RequestPolicy } from '../fhir/request-policy.ts';
import type { FhirUpstream } from '../fhir/upstream.ts';
import { healthSummaryPdf, immunizationRecordPdf } from './summary-pdf.ts';

export type DocumentChoice = { readonly kind: 'document'; readonly id: string } | { readonly kind: 'immunizations' } | { readonly kind: 'summary' };

export interface OutgoingAttachment {
  readonly filename: string;
  readonly contentType: string;
  /** Base64 content. */
  readonly content: string;
  /** What the family chose, for the disclosure record ("DocumentReference/x", "summary", "immunizations"). */
  readonly source: string;
  readonly title: string;
}

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export const documentNotPermitted = (): ActionError =>
  new ActionError(403, 'document-not-permitted', {
    en: 'One of the chosen documents cannot be sent from Sprout. Nothing was sent. Please choose again, or call the hospital.',
    es: 'Uno de los documentos elegidos no se puede enviar desde Sprout. No se envió nada. Vuelva a elegir o llame al hospital.',
  });

async function shown<T extends Resource>(policy: RequestPolicy, resources: readonly T[], patient: string): Promise<T[]> {
  policy.seed(resources);
  await policy.prefetch(resources);
  const out: T[] = [];
  for (const resource of resources) {
    const judgement = await policy.judge(resource);
    if (judgement.show && judgement.patient === patient) out.push(resource);
  }
  return out;
}

const ALLOWED_TYPES = /^(application\/pdf|text\/plain|text\/html|image\/(png|jpeg)|application\/xml|text\/xml)$/;
const safeName = (title: string, index: number, extension: string) =>
  `${(title.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'document').slice(0, 60)}-${index + 1}.${extension}`;
const extensionFor = (type: string) => (type === 'application/pdf' ? 'pdf' : type.startsWith('image/') ? type.slice(6).replace('jpeg', 'jpg') : type.endsWith('xml') ? 'xml' : type === 'text/html' ? 'html' : 'txt');

async function documentAttachment(upstream: FhirUpstream, policy: RequestPolicy, id: string, patient: string, index: number): Promise<OutgoingAttachment> {
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(id)) throw documentNotPermitted();
  const read = await upstream.getJson(`DocumentReference/${id}`);
  if (!read.ok || read.resource.resourceType !== 'DocumentReference') throw documentNotPermitted();
  const document = read.resource as DocumentReference;
  const [visible] = await shown(policy, [document], patient);
  if (visible === undefined || document.status !== 'current') throw documentNotPermitted();
  const attachment = document.content[0]?.attachment;
  const contentType = (attachment?.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (attachment === undefined || !ALLOWED_TYPES.test(contentType)) throw documentNotPermitted();
  let data = attachment.data;
  if (data === undefined) {
    const reference = binaryReferenceOf(attachment.url, upstream.baseUrl);
    if (reference === undefined) throw documentNotPermitted();
    const binary = await upstream.getJson(reference);
    if (!binary.ok || binary.resource.resourceType !== 'Binary') throw documentNotPermitted();
    // The Binary's own labels count too (as on the facade): a restricted Binary is never sent.
    const labels = (binary.resource as Binary).meta?.security ?? [];
    if (labels.some((l) => l.code === 'R' || l.code === 'V')) throw documentNotPermitted();
    data = (binary.resource as Binary).data;
  }
  if (data === undefined || Buffer.byteLength(data, 'base64') > MAX_ATTACHMENT_BYTES) throw documentNotPermitted();
  const title = attachment.title ?? document.description ?? 'document';
  return { filename: safeName(title, index, extensionFor(contentType)), contentType, content: data, source: `DocumentReference/${id}`, title };
}

export async function gatherAttachments(options: {
  readonly upstream: FhirUpstream;
  readonly policy: RequestPolicy;
  readonly access: PatientAccess;
  readonly choices: readonly DocumentChoice[];
  readonly now: Date;
}): Promise<OutgoingAttachment[]> {
  const { upstream, policy, access } = options;
  const patientId = access.patient.id ?? '';
  const patient = `Patient/${patientId}`;
  const query = (type: string) => `${type}?patient=${encodeURIComponent(patient)}&_count=200`;
  const generated = options.now.toISOString().slice(0, 10);
  const out: OutgoingAttachment[] = [];
  for (const [index, choice] of options.choices.entries()) {
    if (choice.kind === 'document') {
      out.push(await documentAttachment(upstream, policy, choice.id, patient, index));
    } else if (choice.kind === 'immunizations') {
      const immunizations = await shown(policy, await searchAll<Immunization>(upstream, query('Immunization')), patient);
      const pdf = immunizationRecordPdf({ patient: access.patient, immunizations, generated });
      out.push({ filename: `immunization-record-${index + 1}.pdf`, contentType: 'application/pdf', content: Buffer.from(pdf).toString('base64'), source: 'immunizations', title: 'Immunization record' });
    } else {
      const [conditions, allergies, medications] = await Promise.all([
        searchAll<Condition>(upstream, query('Condition')).then((r) => shown(policy, r, patient)),
        searchAll<AllergyIntolerance>(upstream, query('AllergyIntolerance')).then((r) => shown(policy, r, patient)),
        searchAll<MedicationRequest>(upstream, query('MedicationRequest')).then((r) => shown(policy, r, patient)),
      ]);
      const pdf = healthSummaryPdf({ patient: access.patient, conditions, allergies, medications, generated });
      out.push({ filename: `health-summary-${index + 1}.pdf`, contentType: 'application/pdf', content: Buffer.from(pdf).toString('base64'), source: 'summary', title: 'Health summary' });
    }
  }
  return out;
}
