/**
 * Pharmacy fills for the demo family (issue 12): Sofia's hydrocortisone cream was filled three times, so its two
 * refills are used up and the portal offers a renewal. Dates relative to "today"; nothing when the order is absent.
 */
import type { FhirResource, MedicationDispense } from 'fhir/r4';

const DAY_MS = 86_400_000;

export function pharmacyFills(today: Date, existing: ReadonlySet<string>): FhirResource[] {
  const order = 'MedicationRequest/sofia-hydrocortisone';
  if (!existing.has(order)) return [];
  return [90, 60, 30].map((daysAgo, index): MedicationDispense => ({
    resourceType: 'MedicationDispense',
    id: `sofia-hydrocortisone-fill-${index + 1}`,
    status: 'completed',
    medicationCodeableConcept: { text: 'Hydrocortisone 1% cream' },
    subject: { reference: 'Patient/sofia-rivera' },
    authorizingPrescription: [{ reference: order }],
    quantity: { value: 28, unit: 'g' },
    whenHandedOver: new Date(today.getTime() - daysAgo * DAY_MS).toISOString(),
  }));
}
