/**
 * Binary reads. A Binary is served only through a visible record of a permitted patient that carries it as an
 * attachment (a DocumentReference's content, a DiagnosticReport's presentedForm) — never through its
 * `securityContext` alone — and its own `meta.security` labels are judged too, under that patient's decision.
 *
 * Order of work, so that a hidden Binary and a missing one cost the same: facts first, then the scan for a visible
 * carrier (which does not depend on whether the Binary exists); only when one is found is the Binary read.
 */
import type { Binary, Coding, Resource } from 'fhir/r4';
import { attachmentsOf, binaryReferenceOf } from './compartment.ts';
import type { FacadeResult, RequestContext } from './facade-context.ts';
import { answerToError, nextLinkOf, readBundle } from './facade-context.ts';
import { loadFactsFirst } from './facade-read.ts';
import { FacadeError, notFound } from './outcome.ts';

const CARRIER_TYPES = ['DocumentReference', 'DiagnosticReport'] as const;

export async function executeBinary(id: string, context: RequestContext): Promise<FacadeResult> {
  const reference = `Binary/${id}`;
  await loadFactsFirst(context);
  const carrier = await visibleCarrier(reference, context);
  if (carrier === undefined) {
    context.tally.recordWithheld(reference, undefined, 'binary-not-carried-by-visible-record');
    throw notFound();
  }
  const answer = await context.upstream.getJson(reference);
  if (!answer.ok) throw answerToError(answer.status);
  const binary = answer.resource;
  if (binary.resourceType !== 'Binary' || binary.id !== id) {
    throw new FacadeError(502, 'exception', 'The health record system answered with a different record than asked.');
  }
  // The Binary is judged as part of its carrier: the carrier with the Binary's own labels added to its own.
  const judgement = await context.policy.judge(withLabelsOf(carrier.resource, binary.meta?.security ?? []));
  if (!judgement.show) {
    context.tally.recordWithheld(reference, judgement.patient, `binary-${judgement.reason}`);
    throw notFound();
  }
  context.tally.recordReturned(reference, judgement.patient, 'binary-of-visible-record');
  if (/application\/(fhir\+)?json/.test(context.accept)) return { status: 200, resource: withoutSecurityContext(binary) };
  const bytes = Buffer.from(binary.data ?? '', 'base64');
  return { status: 200, bytes: new Uint8Array(bytes), contentType: binary.contentType ?? 'application/octet-stream' };
}

/** A copy of `carrier`, without its id (so no judgement of the carrier itself is reused), carrying `labels` too. */
function withLabelsOf(carrier: Resource, labels: readonly Coding[]): Resource {
  const { id: _id, ...rest } = carrier;
  return { ...rest, meta: { ...carrier.meta, security: [...(carrier.meta?.security ?? []), ...labels] } };
}

/** The Binary as JSON, without the upstream's securityContext (it names a record the facade did not judge here). */
function withoutSecurityContext(binary: Binary): Binary {
  const { securityContext: _omitted, ...rest } = binary;
  return rest;
}

/**
 * The first visible record of a permitted patient whose attachment names `target`, or undefined. Every permitted
 * patient's carriers are scanned the same way whatever `target` is; only records that carry it are judged.
 */
async function visibleCarrier(target: string, context: RequestContext): Promise<{ resource: Resource } | undefined> {
  const base = context.upstream.baseUrl;
  for (const access of await context.policy.permittedPatients()) {
    for (const type of CARRIER_TYPES) {
      let next: string | undefined = `${type}?patient=${encodeURIComponent(access.decision.patient)}&_count=${context.limits.upstreamPageSize}`;
      for (let page = 0; next !== undefined && page < context.limits.binaryScanPages; page += 1) {
        const bundle = await readBundle(next, context);
        for (const entry of bundle.entry ?? []) {
          const resource = entry.resource;
          if (resource === undefined || resource.resourceType !== type) continue;
          if (!attachmentsOf(resource).some((attachment) => binaryReferenceOf(attachment.url, base) === target)) continue;
          const judgement = await context.policy.judge(resource);
          if (judgement.show) return { resource };
        }
        next = nextLinkOf(bundle, context.upstream);
      }
    }
  }
  return undefined;
}
