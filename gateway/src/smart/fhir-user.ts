/**
 * fhirUser → Principal. The claim names one resource of a kind the portal knows on this session's FHIR base:
 * absolute (`{base}/RelatedPerson/<id>`, `Person/…`, `Patient/…`, `Practitioner/…`) or, as SMART App Launch 2.x
 * allows, relative to that base (`RelatedPerson/<id>`). A relative claim is resolved against the base first and then
 * passes exactly the same checks as an absolute one. Anything else (another origin or base, query, fragment, extra
 * path segments, dot-segments, a scheme-relative `//host/…`) is refused: the policy core keys every decision on this
 * reference, so it must be the EHR's own word about a resource on the EHR's own server. Whether the resource exists
 * is not decided here: the access loader reads it on every request and relates nobody to a principal it cannot read.
 */
import { PRINCIPAL_KINDS, type Principal, type PrincipalKind } from '../policy/types.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** `Kind/id` and nothing else: no leading slash, no scheme, no further segments. */
const RELATIVE_REFERENCE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

function isPrincipalKind(value: string): value is PrincipalKind {
  return (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** The absolute form of the claim: relative `Kind/id` resolved against the base, absolute returned as issued. */
export function absoluteFhirUser(fhirUser: string, fhirBaseUrl: string): string {
  const relative = RELATIVE_REFERENCE.exec(fhirUser);
  return relative === null ? fhirUser : `${fhirBaseUrl}/${relative[1]}/${relative[2]}`;
}

/** Returns the principal, or undefined when the claim is not acceptable for this base. */
export function principalFromFhirUser(fhirUser: string, fhirBaseUrl: string, grantedScopes: readonly string[]): Principal | undefined {
  const absolute = absoluteFhirUser(fhirUser, fhirBaseUrl);
  let url: URL;
  try {
    url = new URL(absolute); // no base: anything still relative throws
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (absolute.includes('?') || absolute.includes('#')) return undefined;
  const base = new URL(`${fhirBaseUrl}/`);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return undefined;
  const rest = url.pathname.slice(base.pathname.length).split('/');
  if (rest.length !== 2) return undefined;
  const [kind, id] = rest as [string, string];
  if (!isPrincipalKind(kind) || !FHIR_ID.test(id)) return undefined;
  // Compare the full URL once more against the canonical form we derived (no dot-segments, no encoding tricks).
  if (absolute !== `${fhirBaseUrl}/${kind}/${id}`) return undefined;
  return { fhirUser: absolute, reference: `${kind}/${id}`, kind, scopes: grantedScopes };
}
