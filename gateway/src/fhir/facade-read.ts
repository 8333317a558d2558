/**
 * read and vread, and the current-version gate that history shares.
 *
 * Order of work, the same whether the record is visible, hidden or missing: the principal's facts first (every
 * patient they may be related to, with the decision — `permittedPatients`), then the current version, judged; only
 * when it is visible, the asked version. A hidden current version hides every version (a restricted label added in
 * a later version covers the earlier ones too), and a version is also judged on its own.
 */
import type { Resource } from 'fhir/r4';
import type { FacadeResult, RequestContext } from './facade-context.ts';
import { answerToError, present } from './facade-context.ts';
import { FacadeError, notFound } from './outcome.ts';
import type { ResultOptions } from './parse-request.ts';
import type { Judgement } from './request-policy.ts';

/** Loads the principal's access facts before any record is read, so a record's existence never changes what is read. */
export async function loadFactsFirst(context: RequestContext): Promise<void> {
  await context.policy.permittedPatients();
}

/**
 * The current version of `type/id`, judged; throws the one 404 when it is missing, deleted, refused upstream (4xx)
 * or hidden. Tallies a hidden one as withheld.
 */
export async function visibleCurrentVersion(type: string, id: string, context: RequestContext): Promise<{ resource: Resource; judgement: Judgement }> {
  const answer = await context.upstream.getJson(`${type}/${id}`);
  if (!answer.ok) throw answerToError(answer.status);
  const resource = answer.resource;
  if (resource.resourceType !== type || resource.id !== id) {
    throw new FacadeError(502, 'exception', 'The health record system answered with a different record than asked.');
  }
  const judgement = await context.policy.judge(resource);
  if (!judgement.show) {
    context.tally.recordWithheld(`${type}/${id}`, judgement.patient, judgement.reason);
    throw notFound();
  }
  return { resource, judgement };
}

export async function executeRead(type: string, id: string, trim: ResultOptions, context: RequestContext): Promise<FacadeResult> {
  await loadFactsFirst(context);
  const { resource, judgement } = await visibleCurrentVersion(type, id, context);
  context.tally.recordReturned(`${type}/${id}`, judgement.patient, judgement.reason);
  return { status: 200, resource: present(resource, judgement, trim, context) };
}

export async function executeVread(type: string, id: string, versionId: string, trim: ResultOptions, context: RequestContext): Promise<FacadeResult> {
  await loadFactsFirst(context);
  await visibleCurrentVersion(type, id, context);
  const reference = `${type}/${id}`;
  const answer = await context.upstream.getJson(`${reference}/_history/${versionId}`);
  if (!answer.ok) throw answerToError(answer.status);
  const version = answer.resource;
  if (version.resourceType !== type || version.id !== id) {
    throw new FacadeError(502, 'exception', 'The health record system answered with a different record than asked.');
  }
  const judgement = await context.policy.judge(version);
  if (!judgement.show) {
    context.tally.recordWithheld(reference, judgement.patient, judgement.reason);
    throw notFound();
  }
  context.tally.recordReturned(reference, judgement.patient, judgement.reason);
  return { status: 200, resource: present(version, judgement, trim, context) };
}
