/** Encounter → visits, DocumentReference → documents. */
import type { Coding, DocumentReference, Encounter } from 'fhir/r4';
import { CONFIDENTIALITY_SYSTEMS } from './codes.ts';
import {
  attachmentView,
  codeableConceptText,
  codingText,
  codingsOf,
  compareLabels,
  conceptLabels,
  labelOf,
  labelText,
  periodValue,
  unsafeNarrative,
} from './display.ts';
import { indexResources, keyOf, referenceTexts, resolveReference, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { byTimeDesc, dateValue, items, record, sortTime, text } from './safe.ts';
import type { AttachmentView, DocumentItem, Label, VisitItem } from './view-models.ts';

export function mapEncounter(index: ResourceIndex, encounter: Encounter, position = 0): VisitItem {
  const id = text(encounter.id);
  const types = conceptLabels(encounter.type);
  const serviceTypeText = codeableConceptText(record(encounter.serviceType));
  const encounterClass = record(encounter.class);
  const classCode = text(encounterClass?.code);
  const classText = codingText(encounterClass);
  const label: Label = types[0] ?? labelOf(serviceTypeText ?? classText);
  const status = text(encounter.status);
  const practitioners = referenceTexts(
    index,
    items(encounter.participant)
      .map((p) => record(p.individual))
      .filter((ref) => {
        // Only people who are (or may be) practitioners; RelatedPerson participants are family, not care team.
        const target = text(ref?.type) ?? text(ref?.reference)?.split(/[/?]/)[0];
        return target === undefined || target.startsWith('Practitioner');
      }),
    encounter,
  );
  const locations = referenceTexts(index, items(encounter.location).map((l) => record(l.location)), encounter);
  const serviceProvider = referenceTexts(index, [record(encounter.serviceProvider)], encounter)[0];
  const reasons = [...conceptLabels(encounter.reasonCode)];
  for (const ref of items(encounter.reasonReference)) {
    const target = resolveReference(index, ref, encounter);
    const t = text(ref.display) ?? (target?.resourceType === 'Condition' ? codeableConceptText(record(target.code)) : undefined);
    if (t !== undefined && !reasons.some((r) => labelText(r) === t)) reasons.push(labelOf(t));
  }
  const narrative = unsafeNarrative(encounter);
  const typeCodes = items(encounter.type).flatMap((cc) => codingsOf(record(cc)));
  const serviceTypeCodes = codingsOf(record(encounter.serviceType));
  return {
    key: keyOf(encounter, position),
    ...(id !== undefined && { id }),
    label,
    types,
    ...(typeCodes.length > 0 && { typeCodes }),
    ...(serviceTypeCodes.length > 0 && { serviceTypeCodes }),
    ...(classCode !== undefined && { classCode }),
    ...(classText !== undefined && { classLabel: labelOf(classText) }),
    ...(status !== undefined && { status }),
    period: periodValue(record(encounter.period)),
    locations,
    practitioners,
    ...(serviceTypeText !== undefined && { serviceType: labelOf(serviceTypeText) }),
    ...(serviceProvider !== undefined && { serviceProvider }),
    reasons,
    ...(narrative !== undefined && { unsafeNarrativeXhtml: narrative }),
  };
}

/** Visits, newest first (by period start, else end). Entered-in-error encounters are left out. */
export function mapVisits(input: MapperInput | ResourceIndex): VisitItem[] {
  const index = indexResources(input);
  const out: VisitItem[] = [];
  resourcesOfType(index, 'Encounter').forEach((encounter, position) => {
    if (encounter.status !== 'entered-in-error') out.push(mapEncounter(index, encounter, position));
  });
  const time = (v: VisitItem): number | undefined => sortTime(v.period.start ?? v.period.end);
  return out.sort((a, b) => byTimeDesc(time(a), time(b)) || compareLabels(labelText(a.label), labelText(b.label)));
}

/** v3 Confidentiality codes, least to most restrictive (http://terminology.hl7.org/CodeSystem/v3-Confidentiality). */
const CONFIDENTIALITY_ORDER = ['U', 'L', 'M', 'N', 'R', 'V'] as const;
const NON_CONFIDENTIAL = new Set(['U', 'L', 'M', 'N']);

/**
 * The most restrictive v3 Confidentiality code among the security labels. "Non-confidential" is asserted only when
 * such a code is present and is at most N: a document without labels is NOT declared non-confidential (fail closed).
 */
export function confidentialityOf(
  labels: DocumentReference['securityLabel'],
  metaSecurity?: readonly Coding[],
): { confidentiality?: string; nonConfidential: boolean } {
  let rank = -1;
  const consider = (c: Coding): void => {
    if (c.system !== undefined && !(CONFIDENTIALITY_SYSTEMS as readonly string[]).includes(c.system)) return;
    const r = (CONFIDENTIALITY_ORDER as readonly string[]).indexOf(c.code ?? '');
    if (r > rank) rank = r;
  };
  for (const cc of items(labels)) codingsOf(cc).forEach(consider);
  // The same code may sit on the resource's meta.security instead (as the policy core reads it).
  for (const c of items(metaSecurity)) {
    const coding = record(c);
    if (coding !== undefined) consider(coding);
  }
  const code = CONFIDENTIALITY_ORDER[rank];
  if (code === undefined) return { nonConfidential: false };
  return { confidentiality: code, nonConfidential: NON_CONFIDENTIAL.has(code) };
}

export function mapDocumentReference(index: ResourceIndex, document: DocumentReference, position = 0): DocumentItem {
  const id = text(document.id);
  const typeText = codeableConceptText(record(document.type));
  const date = dateValue(document.date) ?? periodValue(record(record(document.context)?.period)).start;
  const description = text(document.description);
  const status = text(document.status);
  const attachments: AttachmentView[] = [];
  for (const content of items(document.content)) {
    const view = attachmentView(record(content.attachment));
    if (view !== undefined) attachments.push(view);
  }
  const encounterIds: string[] = [];
  for (const ref of items(record(document.context)?.encounter)) {
    const target = resolveReference(index, ref, document);
    const encounterId = target?.resourceType === 'Encounter' ? text(target.id) : /^Encounter\/([A-Za-z0-9\-.]{1,64})$/.exec(text(ref.reference) ?? '')?.[1];
    if (encounterId !== undefined && !encounterIds.includes(encounterId)) encounterIds.push(encounterId);
  }
  const { confidentiality, nonConfidential } = confidentialityOf(document.securityLabel, record(document.meta)?.security);
  // A document with no type falls back to its first attachment's title, then to the unknown placeholder.
  const type = labelOf(typeText ?? attachments.find((a) => a.title !== undefined)?.title);
  return {
    key: keyOf(document, position),
    ...(id !== undefined && { id }),
    type,
    categories: conceptLabels(document.category),
    ...(date !== undefined && { date }),
    authors: referenceTexts(index, items(document.author), document),
    ...(description !== undefined && { description }),
    ...(status !== undefined && { status }),
    attachments,
    encounterIds,
    ...(confidentiality !== undefined && { confidentiality }),
    nonConfidential,
  };
}

/** Current documents, newest first. Superseded and entered-in-error DocumentReferences are left out. */
export function mapDocuments(input: MapperInput | ResourceIndex): DocumentItem[] {
  const index = indexResources(input);
  const out: DocumentItem[] = [];
  resourcesOfType(index, 'DocumentReference').forEach((document, position) => {
    if (document.status === 'entered-in-error' || document.status === 'superseded') return;
    out.push(mapDocumentReference(index, document, position));
  });
  return out.sort((a, b) => byTimeDesc(sortTime(a.date), sortTime(b.date)) || compareLabels(labelText(a.type), labelText(b.type)));
}
