/**
 * Safe display helpers for FHIR datatypes, used by every mapper and exported for the app and gateway.
 * Contract: never return "", "undefined", "[object Object]" or NaN; when nothing is displayable return undefined
 * (the `…Text` functions) or the `{ kind: 'unknown' }` label (the `…Label` functions), which the app localizes.
 */
import type { Attachment, CodeableConcept, Coding, HumanName, Period, Quantity, Range, Reference } from 'fhir/r4';
import { dateValue, finite, items, oneOf, record, text, texts, count } from './safe.ts';
import type { AttachmentView, CodingView, Label, PeriodValue, QuantityValue, RangeValue } from './view-models.ts';
import { QUANTITY_COMPARATORS } from './view-models.ts';
import { UCUM_SYSTEM } from './codes.ts';

export const UNKNOWN_LABEL: Label = Object.freeze({ kind: 'unknown' });

/** A text label, or the unknown placeholder when `value` is not displayable text. */
export function labelOf(value: unknown): Label {
  const t = text(value);
  return t === undefined ? UNKNOWN_LABEL : { kind: 'text', text: t };
}

/** Deterministic label order ('en' collation, case-insensitive); unknown labels last. The app may re-sort per locale. */
export function compareLabels(a: string | undefined, b: string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a.localeCompare(b, 'en', { sensitivity: 'base' });
}

/** The label's text, or undefined for the placeholder. */
export function labelText(label: Label): string | undefined {
  return label.kind === 'text' ? label.text : undefined;
}

export function codingText(coding: Coding | undefined): string | undefined {
  const c = record(coding);
  if (c === undefined) return undefined;
  return text(c.display) ?? text(c.code);
}

export function codingLabel(coding: Coding | undefined): Label {
  return labelOf(codingText(coding));
}

/** CodeableConcept.text → first coding display → first coding code; undefined when none is usable. */
export function codeableConceptText(concept: CodeableConcept | undefined): string | undefined {
  const cc = record(concept);
  if (cc === undefined) return undefined;
  const own = text(cc.text);
  if (own !== undefined) return own;
  const codings = items(cc.coding);
  for (const c of codings) {
    const display = text(c.display);
    if (display !== undefined) return display;
  }
  for (const c of codings) {
    const code = text(c.code);
    if (code !== undefined) return code;
  }
  return undefined;
}

export function codeableConceptLabel(concept: CodeableConcept | undefined): Label {
  return labelOf(codeableConceptText(concept));
}

/** Labels for every concept that has something displayable (unknown ones are omitted). */
export function conceptLabels(concepts: readonly CodeableConcept[] | undefined): Label[] {
  const out: Label[] = [];
  for (const cc of items(concepts)) {
    const t = codeableConceptText(cc);
    if (t !== undefined) out.push({ kind: 'text', text: t });
  }
  return out;
}

/** The codings of a concept that carry a code. */
export function codingsOf(concept: CodeableConcept | undefined): CodingView[] {
  const cc = record(concept);
  if (cc === undefined) return [];
  const out: CodingView[] = [];
  for (const c of items(cc.coding)) {
    const code = text(c.code);
    if (code === undefined) continue;
    const system = text(c.system);
    const display = text(c.display);
    out.push({ ...(system !== undefined && { system }), code, ...(display !== undefined && { display }) });
  }
  return out;
}

/** The first code of `concept` in `system` (e.g. the LOINC or CVX code). */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | undefined {
  for (const c of codingsOf(concept)) if (c.system === system) return c.code;
  return undefined;
}

/** Whether the concept has a coding with one of `codes`, in `system` (or with no system, when `allowNoSystem`). */
export function hasCode(concept: CodeableConcept | undefined, systems: readonly string[], codes: readonly string[], allowNoSystem = false): boolean {
  return codingsOf(concept).some(
    (c) => codes.includes(c.code) && (c.system === undefined ? allowNoSystem : systems.includes(c.system)),
  );
}

/**
 * A person's name for display: given names, family, suffixes ("Ana María López Jr."). Prefixes (Mr., Dr.) are left
 * out on purpose: honorifics add nothing on a child's record and synthetic data gives toddlers "Mr.". Falls back to
 * HumanName.text.
 */
export function formatHumanName(name: HumanName | undefined): string | undefined {
  const n = record(name);
  if (n === undefined) return undefined;
  const parts = [...texts(n.given), ...(text(n.family) !== undefined ? [text(n.family) as string] : []), ...texts(n.suffix)];
  if (parts.length > 0) return parts.join(' ');
  return text(n.text);
}

const NAME_USE_PREFERENCE = ['official', 'usual'] as const;

/** The name to show: official, else usual, else the first that is not "old", else the first displayable one. */
export function preferredName(names: readonly HumanName[] | undefined): HumanName | undefined {
  const candidates = items(names).filter((n) => formatHumanName(n) !== undefined);
  for (const use of NAME_USE_PREFERENCE) {
    const found = candidates.find((n) => n.use === use);
    if (found) return found;
  }
  return candidates.find((n) => n.use !== 'old') ?? candidates[0];
}

export function periodValue(period: Period | undefined): PeriodValue {
  const p = record(period);
  if (p === undefined) return {};
  const start = dateValue(p.start);
  const end = dateValue(p.end);
  return { ...(start !== undefined && { start }), ...(end !== undefined && { end }) };
}

/** A Quantity with a finite value; unit is Quantity.unit else its code. */
export function quantityValue(quantity: Quantity | undefined): QuantityValue | undefined {
  const q = record(quantity);
  if (q === undefined) return undefined;
  const value = finite(q.value);
  if (value === undefined) return undefined;
  const code = text(q.code);
  const unit = text(q.unit) ?? code;
  const ucum = text(q.system) === UCUM_SYSTEM ? code : undefined;
  const comparator = oneOf(QUANTITY_COMPARATORS, q.comparator);
  return {
    value,
    ...(unit !== undefined && { unit }),
    ...(ucum !== undefined && { ucum }),
    ...(comparator !== undefined && { comparator }),
  };
}

export function rangeValue(range: Range | undefined): RangeValue | undefined {
  const r = record(range);
  if (r === undefined) return undefined;
  const low = quantityValue(r.low);
  const high = quantityValue(r.high);
  if (low === undefined && high === undefined) return undefined;
  return { ...(low !== undefined && { low }), ...(high !== undefined && { high }) };
}

/** Relative FHIR paths ("Binary/abc") the gateway can fetch; absolute URLs are accepted only when http(s). */
const RELATIVE_FHIR_PATH = /^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

function attachmentUrl(x: unknown): string | undefined {
  const url = text(x);
  if (url === undefined) return undefined;
  if (RELATIVE_FHIR_PATH.test(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Attachment metadata. `url` is kept only when it is http(s) or a relative FHIR path ("Binary/1"); other schemes
 * (javascript:, data:, file:) are dropped. Inline `data` is never copied, only flagged.
 */
export function attachmentView(attachment: Attachment | undefined): AttachmentView | undefined {
  const a = record(attachment);
  if (a === undefined) return undefined;
  const contentType = text(a.contentType);
  const title = text(a.title);
  const url = attachmentUrl(a.url);
  const size = count(a.size);
  const language = text(a.language);
  const creation = dateValue(a.creation);
  const hasInlineData = text(a.data) !== undefined;
  if (contentType === undefined && title === undefined && url === undefined && !hasInlineData) return undefined;
  return {
    ...(contentType !== undefined && { contentType }),
    ...(title !== undefined && { title }),
    ...(url !== undefined && { url }),
    ...(size !== undefined && { size }),
    ...(language !== undefined && { language }),
    ...(creation !== undefined && { creation }),
    hasInlineData,
  };
}

export function attachmentViews(attachments: readonly Attachment[] | undefined): AttachmentView[] {
  const out: AttachmentView[] = [];
  for (const a of items(attachments)) {
    const view = attachmentView(a);
    if (view !== undefined) out.push(view);
  }
  return out;
}

/** Reference.display, else undefined. Resolution against included resources lives in input.ts (referenceText). */
export function referenceDisplay(reference: Reference | undefined): string | undefined {
  const r = record(reference);
  return r === undefined ? undefined : text(r.display);
}

/** Annotation texts. */
export function noteTexts(notes: readonly { text?: string }[] | undefined): string[] {
  const out: string[] = [];
  for (const n of items(notes)) {
    const t = text(n.text);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** Resource.text.div, untouched: the caller must sanitize before rendering. */
export function unsafeNarrative(resource: { text?: { div?: string } } | undefined): string | undefined {
  const r = record(resource);
  if (r === undefined) return undefined;
  const narrative = record(r.text);
  return narrative === undefined ? undefined : text(narrative.div);
}
