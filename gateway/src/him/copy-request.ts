/**
 * Requesting a complete copy of a child's record from Health Information Management (issue 13) — the route the
 * hospital's FAQ gives for anything beyond the portal. Pure: the form's input is validated here, becomes a FHIR Task
 * owned by HIM, and a Task reads back as the family's view of its status. HIM works the Task in the EHR.
 */
import type { Address, Identifier, Reference, Task } from 'fhir/r4';
import { z } from 'zod';
import { COMMON_ERRORS, type Localized } from '../actions/action-errors.ts';

export const HIM_TASK_SYSTEM = 'urn:sprout:him';
export const COPY_REQUEST_CODE = 'record-copy';
const ID = /^[A-Za-z0-9.-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const line = z.string().trim().max(120).regex(/^[^\r\n<>]*$/);

const Input = z.object({
  patientId: z.string().regex(ID),
  from: z.string().regex(DATE).optional(),
  to: z.string().regex(DATE).optional(),
  format: z.enum(['paper', 'electronic']),
  /** Paper: a mailing address. Electronic: an email address HIM sends the secure download link to. */
  address: z.object({ line1: line.min(1), line2: line.optional(), city: line.min(1), state: z.string().trim().regex(/^[A-Za-z]{2}$/), postalCode: z.string().trim().regex(/^\d{5}(-\d{4})?$/) }).strict().optional(),
  email: z.string().trim().max(200).regex(/^[^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,}$/).optional(),
}).strict();

export type CopyRequestInput = z.infer<typeof Input>;

const MESSAGES: Readonly<Record<string, Localized>> = {
  patientId: { en: 'Choose whose record you are asking for.', es: 'Elija de quién es el expediente que solicita.' },
  format: { en: 'Choose paper or electronic copies.', es: 'Elija copias en papel o electrónicas.' },
  from: { en: 'Enter the dates as year-month-day, the first one not after the second.', es: 'Escriba las fechas como año-mes-día, la primera no posterior a la segunda.' },
  address: { en: 'Enter the full mailing address (street, city, two-letter state, ZIP code).', es: 'Escriba la dirección postal completa (calle, ciudad, estado de dos letras, código postal).' },
  email: { en: 'Enter the email address to send the secure download link to.', es: 'Escriba el correo electrónico al que enviaremos el enlace seguro de descarga.' },
};
const fieldError = (field: string) => COMMON_ERRORS.invalidInput(field, MESSAGES[field] ?? MESSAGES['format'] ?? { en: '', es: '' });

/** Validates the form; throws a localized ActionError naming the field. */
export function parseCopyRequest(raw: unknown, today: string): CopyRequestInput {
  const parsed = Input.safeParse(raw);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'format');
    throw fieldError(field === 'to' ? 'from' : field);
  }
  const input = parsed.data;
  if (input.from !== undefined && input.to !== undefined && input.from > input.to) throw fieldError('from');
  if ((input.from !== undefined && input.from > today) || !validDate(input.from) || !validDate(input.to)) throw fieldError('from');
  if (input.format === 'paper' && input.address === undefined) throw fieldError('address');
  if (input.format === 'electronic' && input.email === undefined) throw fieldError('email');
  return input;
}

function validDate(value: string | undefined): boolean {
  if (value === undefined) return true;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function copyRequestTask(input: CopyRequestInput, options: { identifier: Identifier; requester: Reference; now: number; himOwner: Reference }): Task {
  const address: Address | undefined = input.address === undefined ? undefined : {
    use: 'home', type: 'postal', line: [input.address.line1, ...(input.address.line2 ? [input.address.line2] : [])],
    city: input.address.city, state: input.address.state.toUpperCase(), postalCode: input.address.postalCode,
  };
  return {
    resourceType: 'Task',
    identifier: [options.identifier],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: HIM_TASK_SYSTEM, code: COPY_REQUEST_CODE, display: 'Complete copy of the medical record' }], text: 'Complete copy of the medical record' },
    description: `Copy of the complete record, ${input.format === 'paper' ? 'on paper by mail' : 'electronic'}`,
    for: { reference: `Patient/${input.patientId}` },
    authoredOn: new Date(options.now).toISOString(),
    requester: options.requester,
    owner: options.himOwner,
    ...(input.from === undefined && input.to === undefined ? {} : { restriction: { period: { ...(input.from ? { start: input.from } : {}), ...(input.to ? { end: input.to } : {}) } } }),
    input: [
      { type: { text: 'format' }, valueCode: input.format },
      ...(address === undefined ? [] : [{ type: { text: 'delivery address' }, valueAddress: address }]),
      ...(input.email === undefined ? [] : [{ type: { text: 'delivery email' }, valueString: input.email }]),
    ],
  };
}

export interface CopyRequestView {
  readonly id: string;
  readonly patientId: string;
  readonly status: Task['status'];
  readonly requested: string | undefined;
  readonly format: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** HIM's note to the family (Task.statusReason / businessStatus text), when there is one. */
  readonly note: string | undefined;
}

export function isCopyRequest(task: Task): boolean {
  return task.code?.coding?.some((c) => c.system === HIM_TASK_SYSTEM && c.code === COPY_REQUEST_CODE) === true;
}

export function copyRequestView(task: Task): CopyRequestView {
  return {
    id: task.id ?? '',
    patientId: (task.for?.reference ?? '').replace(/^Patient\//, ''),
    status: task.status,
    requested: task.authoredOn,
    format: task.input?.find((i) => i.type.text === 'format')?.valueCode,
    from: task.restriction?.period?.start,
    to: task.restriction?.period?.end,
    note: task.statusReason?.text ?? task.businessStatus?.text,
  };
}
