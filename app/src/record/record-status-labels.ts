/**
 * Localized words for the closed code sets of the record views (statuses, severities, measures) and for dose
 * instructions. Total: an unknown code gives '' so the view leaves the word out rather than showing a code.
 */
import { msg, str } from '@lit/localize';
import type {
  AllergyCriticality,
  AllergySeverity,
  ConditionClinicalStatus,
  DoseInstruction,
  GrowthMeasure,
  MedicationRequestStatus,
  NoKnownAllergyKind,
  TimingPeriodUnit,
} from '../../../fhir-mappings/src/index.ts';
import { formatQuantityValue, labelText } from '../components/record-labels.ts';
import type { Formatters } from '../i18n/format.ts';

export function conditionStatusText(status: ConditionClinicalStatus | undefined): string {
  switch (status) {
    case 'active':
      return msg('Active', { id: 'record.condition-active' });
    case 'recurrence':
      return msg('Came back', { id: 'record.condition-recurrence' });
    case 'relapse':
      return msg('Relapse', { id: 'record.condition-relapse' });
    case 'inactive':
      return msg('Inactive', { id: 'record.condition-inactive' });
    case 'remission':
      return msg('In remission', { id: 'record.condition-remission' });
    case 'resolved':
      return msg('Resolved', { id: 'record.condition-resolved' });
    default:
      return '';
  }
}

export function allergySeverityText(severity: AllergySeverity | undefined): string {
  switch (severity) {
    case 'mild':
      return msg('Mild reaction', { id: 'record.severity-mild' });
    case 'moderate':
      return msg('Moderate reaction', { id: 'record.severity-moderate' });
    case 'severe':
      return msg('Severe reaction', { id: 'record.severity-severe' });
    default:
      return '';
  }
}

export function allergyCriticalityText(criticality: AllergyCriticality | undefined): string {
  switch (criticality) {
    case 'high':
      return msg('High risk', { id: 'record.criticality-high', desc: 'Allergy criticality: a future reaction could be life-threatening' });
    case 'low':
      return msg('Low risk', { id: 'record.criticality-low' });
    case 'unable-to-assess':
      return msg('Risk not assessed', { id: 'record.criticality-unknown' });
    default:
      return '';
  }
}

export function noKnownAllergyText(kind: NoKnownAllergyKind): string {
  switch (kind) {
    case 'allergy':
      return msg('No known allergies', { id: 'record.nka' });
    case 'drug-allergy':
      return msg('No known medication allergies', { id: 'record.nkda' });
    case 'food-allergy':
      return msg('No known food allergies', { id: 'record.nkfa' });
    case 'environmental-allergy':
      return msg('No known environmental allergies', { id: 'record.nkea' });
    default:
      return '';
  }
}

export function medicationStatusText(status: MedicationRequestStatus | undefined): string {
  switch (status) {
    case 'active':
      return msg('Active', { id: 'record.med-active' });
    case 'on-hold':
      return msg('On hold', { id: 'record.med-on-hold' });
    case 'cancelled':
      return msg('Cancelled', { id: 'record.med-cancelled' });
    case 'completed':
      return msg('Finished', { id: 'record.med-completed' });
    case 'stopped':
      return msg('Stopped', { id: 'record.med-stopped' });
    case 'draft':
      return msg('Not yet ordered', { id: 'record.med-draft' });
    default:
      return '';
  }
}

export function appointmentStatusText(status: string | undefined): string {
  switch (status) {
    case 'proposed':
    case 'pending':
      return msg('Requested', { id: 'record.appt-pending' });
    case 'booked':
      return msg('Scheduled', { id: 'record.appt-booked' });
    case 'arrived':
    case 'checked-in':
      return msg('Checked in', { id: 'record.appt-checked-in' });
    case 'fulfilled':
      return msg('Completed', { id: 'record.appt-fulfilled' });
    case 'cancelled':
      return msg('Cancelled', { id: 'record.appt-cancelled' });
    case 'noshow':
      return msg('Missed', { id: 'record.appt-noshow' });
    case 'waitlist':
      return msg('Waiting list', { id: 'record.appt-waitlist' });
    default:
      return '';
  }
}

export function reportStatusText(status: string | undefined): string {
  switch (status) {
    case 'registered':
    case 'partial':
    case 'preliminary':
      return msg('Preliminary', { id: 'record.report-preliminary' });
    case 'final':
      return msg('Final', { id: 'record.report-final' });
    case 'amended':
    case 'corrected':
    case 'appended':
      return msg('Updated', { id: 'record.report-amended' });
    case 'cancelled':
      return msg('Cancelled', { id: 'record.report-cancelled' });
    default:
      return '';
  }
}

export function growthMeasureText(measure: GrowthMeasure): string {
  switch (measure) {
    case 'weight':
      return msg('Weight', { id: 'record.growth-weight' });
    case 'height':
      return msg('Height', { id: 'record.growth-height' });
    case 'length':
      return msg('Length', { id: 'record.growth-length' });
    case 'head-circumference':
      return msg('Head circumference', { id: 'record.growth-head' });
    case 'bmi':
      return msg('Body mass index', { id: 'record.growth-bmi' });
    default:
      return '';
  }
}

const INTL_PERIOD_UNIT: Readonly<Record<TimingPeriodUnit, string>> = {
  s: 'second',
  min: 'minute',
  h: 'hour',
  d: 'day',
  wk: 'week',
  mo: 'month',
  a: 'year',
};

function formatPeriod(value: number, unit: TimingPeriodUnit | undefined, format: Formatters): string {
  const intlUnit = unit ? INTL_PERIOD_UNIT[unit] : undefined;
  if (!intlUnit) return '';
  return new Intl.NumberFormat(format.locale, { style: 'unit', unit: intlUnit, unitDisplay: 'long', maximumFractionDigits: 2 }).format(value);
}

/**
 * One dose instruction as a line: the prescriber's own text when given (it is what the pharmacy label says),
 * else the structured parts ("5 mL · by mouth · 2 times every 1 day · as needed").
 */
export function describeDose(dose: DoseInstruction, format: Formatters): string {
  if (dose.text) return dose.patientInstruction ? `${dose.text} — ${dose.patientInstruction}` : dose.text;
  const parts: string[] = [];
  if (dose.dose?.kind === 'quantity') parts.push(formatQuantityValue(dose.dose.quantity, format));
  if (dose.dose?.kind === 'range') {
    const low = formatQuantityValue(dose.dose.range.low, format);
    const high = formatQuantityValue(dose.dose.range.high, format);
    parts.push([low, high].filter((s) => s !== '').join(' – '));
  }
  if (dose.route) parts.push(labelText(dose.route));
  const timing = dose.timing;
  if (timing?.frequency !== undefined && timing.period !== undefined) {
    const every = formatPeriod(timing.period, timing.periodUnit, format);
    if (every !== '') {
      parts.push(msg(str`${format.number(timing.frequency)} times every ${every}`, { id: 'record.dose-frequency' }));
    }
  } else if (timing?.code) {
    parts.push(labelText(timing.code));
  }
  if (timing?.duration !== undefined) {
    const duration = formatPeriod(timing.duration, timing.durationUnit, format);
    if (duration !== '') parts.push(msg(str`for ${duration}`, { id: 'record.dose-duration' }));
  }
  if (dose.asNeeded) {
    parts.push(
      dose.asNeededFor
        ? msg(str`as needed for ${labelText(dose.asNeededFor)}`, { id: 'record.dose-as-needed-for' })
        : msg('as needed', { id: 'record.dose-as-needed' }),
    );
  }
  if (dose.patientInstruction) parts.push(dose.patientInstruction);
  return parts.filter((s) => s !== '').join(' · ');
}
