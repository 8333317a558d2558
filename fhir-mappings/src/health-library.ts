/**
 * "Learn more" links to MedlinePlus Connect, the U.S. National Library of Medicine's consumer health library for
 * patient portals (https://medlineplus.gov/medlineplus-connect/web-application/). A request names one code in an
 * HL7 Infobutton URL; MedlinePlus answers with plain-language pages in English or Spanish.
 *
 * Pure: builds a URL from codes the reader can already see; nothing is fetched. The app opens it only on a click,
 * without a referrer.
 */
import type { CodingView } from './view-models.ts';

export const HEALTH_LIBRARY_BASE_URL = 'https://connect.medlineplus.gov/application';

/** FHIR code system URI → the OID MedlinePlus Connect expects, for the kinds of codes it answers. */
const CONNECT_CODE_SYSTEMS: Readonly<Record<string, string>> = {
  'http://snomed.info/sct': '2.16.840.1.113883.6.96', // problems
  'http://hl7.org/fhir/sid/icd-10-cm': '2.16.840.1.113883.6.90', // problems
  'http://www.nlm.nih.gov/research/umls/rxnorm': '2.16.840.1.113883.6.88', // medications
  'http://loinc.org': '2.16.840.1.113883.6.1', // lab tests
};

/** Codes are short tokens; anything else is not sent anywhere. */
const SAFE_CODE = /^[A-Za-z0-9.-]{1,32}$/;

/**
 * The MedlinePlus Connect page for the first code it can answer, in `language`; undefined when none of the codes is
 * of a system it knows.
 */
export function healthLibraryUrl(codes: readonly CodingView[], language: 'en' | 'es'): string | undefined {
  for (const coding of codes) {
    const oid = coding.system === undefined ? undefined : CONNECT_CODE_SYSTEMS[coding.system];
    if (oid === undefined || !SAFE_CODE.test(coding.code)) continue;
    const url = new URL(HEALTH_LIBRARY_BASE_URL);
    url.searchParams.set('mainSearchCriteria.v.cs', oid);
    url.searchParams.set('mainSearchCriteria.v.c', coding.code);
    url.searchParams.set('informationRecipient.languageCode.c', language);
    return url.toString();
  }
  return undefined;
}
