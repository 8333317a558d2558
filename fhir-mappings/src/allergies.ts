/**
 * AllergyIntolerance → allergy list. "No known allergy" statements (SNOMED, see codes.ts) are split out so the app
 * shows "No known drug allergies" rather than an allergy named after the statement. Entered-in-error and refuted
 * records are left out: a family list shows what the child is allergic to.
 */
import type { AllergyIntolerance } from 'fhir/r4';
import { NO_KNOWN_ALLERGY_CODES, SNOMED_SYSTEM } from './codes.ts';
import { onsetValue, statusCode } from './conditions.ts';
import { codeableConceptLabel, codeableConceptText, codingsOf, compareLabels, conceptLabels, labelOf, labelText, noteTexts } from './display.ts';
import { indexResources, keyOf, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { dateValue, items, oneOf, record, text } from './safe.ts';
import {
  ALLERGY_CATEGORIES,
  ALLERGY_CLINICAL_STATUSES,
  ALLERGY_CRITICALITIES,
  ALLERGY_SEVERITIES,
  ALLERGY_VERIFICATION_STATUSES,
  type AllergyCategory,
  type AllergyItem,
  type AllergyList,
  type AllergyReactionView,
  type AllergySeverity,
  type NoKnownAllergyKind,
  type NoKnownAllergyStatement,
} from './view-models.ts';

/** The "no known …" kind when the record's code is one of the SNOMED no-known-allergy situations. */
export function noKnownAllergyKind(allergy: AllergyIntolerance): NoKnownAllergyKind | undefined {
  for (const c of codingsOf(record(allergy.code))) {
    if (c.system !== undefined && c.system !== SNOMED_SYSTEM) continue;
    const kind = NO_KNOWN_ALLERGY_CODES[c.code];
    if (kind !== undefined) return kind;
  }
  return undefined;
}

const SEVERITY_RANK: Readonly<Record<AllergySeverity, number>> = { mild: 1, moderate: 2, severe: 3 };
const CRITICALITY_RANK = { high: 3, 'unable-to-assess': 2, low: 1 } as const;

function mapReactions(allergy: AllergyIntolerance): AllergyReactionView[] {
  const out: AllergyReactionView[] = [];
  for (const reaction of items(allergy.reaction)) {
    const manifestations = conceptLabels(reaction.manifestation);
    const substanceText = codeableConceptText(record(reaction.substance));
    const substance = substanceText === undefined ? undefined : labelOf(substanceText);
    const severity = oneOf(ALLERGY_SEVERITIES, reaction.severity);
    const description = text(reaction.description);
    const onset = dateValue(reaction.onset);
    if (manifestations.length === 0 && description === undefined && substance === undefined) continue;
    out.push({
      manifestations,
      ...(substance !== undefined && { substance }),
      ...(severity !== undefined && { severity }),
      ...(description !== undefined && { description }),
      ...(onset !== undefined && { onset }),
    });
  }
  return out;
}

export function mapAllergy(allergy: AllergyIntolerance, position = 0): AllergyItem {
  const id = text(allergy.id);
  const reactions = mapReactions(allergy);
  let severity: AllergySeverity | undefined;
  for (const r of reactions) if (r.severity !== undefined && (severity === undefined || SEVERITY_RANK[r.severity] > SEVERITY_RANK[severity])) severity = r.severity;
  const criticality = oneOf(ALLERGY_CRITICALITIES, allergy.criticality);
  const clinicalStatus = statusCode(ALLERGY_CLINICAL_STATUSES, allergy.clinicalStatus);
  const verificationStatus = statusCode(ALLERGY_VERIFICATION_STATUSES, allergy.verificationStatus);
  const type = oneOf(['allergy', 'intolerance'] as const, allergy.type);
  const categories: AllergyCategory[] = [];
  if (Array.isArray(allergy.category)) for (const c of allergy.category as unknown[]) {
    const cat = oneOf(ALLERGY_CATEGORIES, c);
    if (cat !== undefined && !categories.includes(cat)) categories.push(cat);
  }
  const onset = onsetValue({
    dateTime: allergy.onsetDateTime,
    age: allergy.onsetAge,
    period: allergy.onsetPeriod,
    range: allergy.onsetRange,
    string: allergy.onsetString,
  });
  const recordedDate = dateValue(allergy.recordedDate);
  return {
    key: keyOf(allergy, position),
    ...(id !== undefined && { id }),
    substance: codeableConceptLabel(record(allergy.code)),
    codes: codingsOf(record(allergy.code)),
    categories,
    ...(type !== undefined && { type }),
    reactions,
    ...(severity !== undefined && { severity }),
    ...(criticality !== undefined && { criticality }),
    ...(clinicalStatus !== undefined && { clinicalStatus }),
    ...(verificationStatus !== undefined && { verificationStatus }),
    ...(onset !== undefined && { onset }),
    ...(recordedDate !== undefined && { recordedDate }),
    notes: noteTexts(allergy.note),
  };
}

const HIDDEN_VERIFICATION = new Set(['entered-in-error', 'refuted']);

export function mapAllergies(input: MapperInput | ResourceIndex): AllergyList {
  const allergies: AllergyItem[] = [];
  const noKnownAllergies: NoKnownAllergyStatement[] = [];
  resourcesOfType(indexResources(input), 'AllergyIntolerance').forEach((allergy, position) => {
    const verificationStatus = statusCode(ALLERGY_VERIFICATION_STATUSES, allergy.verificationStatus);
    if (verificationStatus !== undefined && HIDDEN_VERIFICATION.has(verificationStatus)) return;
    const noKnown = noKnownAllergyKind(allergy);
    if (noKnown !== undefined) {
      const id = text(allergy.id);
      const clinicalStatus = statusCode(ALLERGY_CLINICAL_STATUSES, allergy.clinicalStatus);
      const recordedDate = dateValue(allergy.recordedDate);
      noKnownAllergies.push({
        key: keyOf(allergy, position),
        ...(id !== undefined && { id }),
        kind: noKnown,
        ...(clinicalStatus !== undefined && { clinicalStatus }),
        ...(verificationStatus !== undefined && { verificationStatus }),
        ...(recordedDate !== undefined && { recordedDate }),
      });
      return;
    }
    allergies.push(mapAllergy(allergy, position));
  });
  const activeRank = (a: AllergyItem): number => (a.clinicalStatus === undefined || a.clinicalStatus === 'active' ? 1 : 0);
  const criticalityRank = (a: AllergyItem): number => (a.criticality === undefined ? 0 : CRITICALITY_RANK[a.criticality]);
  allergies.sort(
    (a, b) =>
      activeRank(b) - activeRank(a) ||
      criticalityRank(b) - criticalityRank(a) ||
      compareLabels(labelText(a.substance), labelText(b.substance)),
  );
  return { allergies, noKnownAllergies };
}
