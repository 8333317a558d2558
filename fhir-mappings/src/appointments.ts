/**
 * Appointment → upcoming and past lists at `asOf`.
 *
 * Virtual-visit join URL rule (first match wins; only absolute http(s) URLs without credentials, never
 * javascript:, data: or others):
 *   1. the R5 backport extension `http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService`
 *      — its `addressUrl` / `addressString` sub-extension (R5 VirtualServiceDetail.address[x]);
 *   2. a top-level extension listed in VIRTUAL_VISIT_EXTENSION_URLS, valueUrl / valueUri / valueString.
 * Free text (comment, description, patientInstruction) is never scanned for links: a URL there was not put there as
 * a join link, and surfacing arbitrary links from free text would make phishing through the EHR easy.
 */
import type { Appointment, Extension, Reference } from 'fhir/r4';
import { codeableConceptText, codingsOf, compareLabels, conceptLabels, labelOf, labelText } from './display.ts';
import { indexResources, keyOf, referenceText, resolveReference, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { count, dateValue, httpUrl, items, record, sortTime, text } from './safe.ts';
import type { AppointmentItem, AppointmentLists, Label } from './view-models.ts';

export const R5_VIRTUAL_SERVICE_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService';
/** Extensions that carry a join URL directly. Add an EHR's own extension here, with its source. */
export const VIRTUAL_VISIT_EXTENSION_URLS: readonly string[] = [
  // Sprout's own extension (project convention for its own identifiers: urn:sprout:*), used by sandbox fixtures.
  'urn:sprout:virtual-visit-url',
];

function extensionUrlValue(extension: Extension): string | undefined {
  return httpUrl(extension.valueUrl) ?? httpUrl(extension.valueUri) ?? httpUrl(extension.valueString);
}

export function virtualVisitUrl(appointment: Appointment): string | undefined {
  const extensions = items(appointment.extension);
  for (const ext of extensions) {
    if (ext.url !== R5_VIRTUAL_SERVICE_EXTENSION) continue;
    for (const sub of items(ext.extension)) {
      if (sub.url === 'addressUrl' || sub.url === 'addressString' || sub.url === 'address') {
        const url = extensionUrlValue(sub);
        if (url !== undefined) return url;
      }
    }
  }
  for (const ext of extensions) {
    if (typeof ext.url === 'string' && VIRTUAL_VISIT_EXTENSION_URLS.includes(ext.url)) {
      const url = extensionUrlValue(ext);
      if (url !== undefined) return url;
    }
  }
  return undefined;
}

/** The resource type a participant reference points to: Reference.type, the reference's prefix, or the resolved resource. */
function actorType(index: ResourceIndex, actor: Reference, appointment: Appointment): string | undefined {
  const explicit = text(actor.type);
  if (explicit !== undefined) return explicit;
  const resolved = resolveReference(index, actor, appointment);
  if (resolved !== undefined) return resolved.resourceType;
  return /^([A-Z][A-Za-z]+)[/?]/.exec(text(actor.reference) ?? '')?.[1];
}

const PRACTITIONER_TYPES = new Set(['Practitioner', 'PractitionerRole']);

export function mapAppointment(index: ResourceIndex, appointment: Appointment, position = 0): AppointmentItem {
  const id = text(appointment.id);
  const status = text(appointment.status);
  const start = dateValue(appointment.start);
  const end = dateValue(appointment.end);
  const minutesDuration = count(appointment.minutesDuration);
  const description = text(appointment.description);
  const serviceTypes = conceptLabels(appointment.serviceType);
  const appointmentTypeText = codeableConceptText(record(appointment.appointmentType));
  const locations: string[] = [];
  const practitioners: string[] = [];
  for (const participant of items(appointment.participant)) {
    const actor = record(participant.actor);
    if (actor === undefined) continue;
    const type = actorType(index, actor, appointment);
    const name = referenceText(index, actor, appointment);
    if (name === undefined) continue;
    if (type === 'Location') {
      if (!locations.includes(name)) locations.push(name);
    } else if (type === undefined || PRACTITIONER_TYPES.has(type)) {
      // Unknown actor types with only a display are most often the clinician; patients and family are typed.
      if (!practitioners.includes(name)) practitioners.push(name);
    }
  }
  const specialty = conceptLabels(appointment.specialty)[0];
  const label: Label = serviceTypes[0] ?? (appointmentTypeText !== undefined ? labelOf(appointmentTypeText) : undefined) ?? specialty ?? labelOf(description);
  const patientInstruction = text(appointment.patientInstruction);
  const joinUrl = virtualVisitUrl(appointment);
  const serviceTypeCodes = items(appointment.serviceType).flatMap((cc) => codingsOf(record(cc)));
  return {
    key: keyOf(appointment, position),
    ...(id !== undefined && { id }),
    ...(status !== undefined && { status }),
    ...(start !== undefined && { start: start.iso }),
    ...(end !== undefined && { end: end.iso }),
    ...(minutesDuration !== undefined && { minutesDuration }),
    label,
    ...(description !== undefined && { description }),
    serviceTypes,
    ...(serviceTypeCodes.length > 0 && { serviceTypeCodes }),
    ...(appointmentTypeText !== undefined && { appointmentType: labelOf(appointmentTypeText) }),
    reasons: conceptLabels(appointment.reasonCode),
    locations,
    practitioners,
    ...(patientInstruction !== undefined && { patientInstruction }),
    ...(joinUrl !== undefined && { virtualVisitUrl: joinUrl }),
  };
}

const PENDING_STATUSES = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in', 'waitlist']);

/**
 * Split at `asOf`: an appointment is upcoming while it has not ended (its end, else its start, is at or after
 * asOf), so a visit in progress stays on the upcoming list. Undated ones go to upcoming when still pending, else past.
 * Upcoming soonest first, past most recent first. Entered-in-error appointments are left out.
 */
export function mapAppointments(input: MapperInput | ResourceIndex, asOf: Date | string): AppointmentLists {
  const index = indexResources(input);
  const now = typeof asOf === 'string' ? Date.parse(asOf) : asOf instanceof Date ? asOf.getTime() : Number.NaN;
  const upcoming: { item: AppointmentItem; time: number | undefined }[] = [];
  const past: { item: AppointmentItem; time: number | undefined }[] = [];
  resourcesOfType(index, 'Appointment').forEach((appointment, position) => {
    if (appointment.status === 'entered-in-error') return;
    const item = mapAppointment(index, appointment, position);
    const startTime = sortTime(dateValue(item.start));
    const endTime = sortTime(dateValue(item.end)) ?? startTime;
    if (endTime === undefined || !Number.isFinite(now)) {
      (PENDING_STATUSES.has(item.status ?? '') ? upcoming : past).push({ item, time: startTime });
    } else if (endTime >= now) upcoming.push({ item, time: startTime });
    else past.push({ item, time: startTime });
  });
  const tie = (a: AppointmentItem, b: AppointmentItem): number => compareLabels(labelText(a.label), labelText(b.label));
  upcoming.sort((a, b) => (a.time === undefined ? (b.time === undefined ? 0 : 1) : b.time === undefined ? -1 : a.time - b.time) || tie(a.item, b.item));
  past.sort((a, b) => (a.time === undefined ? (b.time === undefined ? 0 : 1) : b.time === undefined ? -1 : b.time - a.time) || tie(a.item, b.item));
  return { upcoming: upcoming.map((u) => u.item), past: past.map((p) => p.item) };
}
