/**
 * Hospital profiles: the reviewed data that says who sees what. A profile is a JSON file under ./profiles/, parsed
 * and checked here at start-up; a third hospital writes a third file, not code. Every rule carries a `source` line so
 * a privacy officer can trace it to a statute, an FAQ or counsel's decision.
 */
import { z } from 'zod';
import { isValidTimeZone } from './age.ts';
import { SENSITIVITY_CATEGORY_IDS } from './categories.ts';
import { localTerminologySchema, valueSetForProfile } from './value-set.ts';
import caStrictJson from './profiles/ca-strict.json' with { type: 'json' };
import caStrictMessagingJson from './profiles/ca-strict-messaging.json' with { type: 'json' };
import caAdolescentSplitJson from './profiles/ca-adolescent-split.json' with { type: 'json' };

const source = z.string().min(3, 'every rule needs a source line');
const category = z.enum(SENSITIVITY_CATEGORY_IDS);
const coding = z.object({ system: z.string().min(3), code: z.string().min(1), display: z.string().optional() });

const features = z
  .object({
    viewRecord: z.boolean(),
    messages: z.boolean(),
    appointmentRequests: z.boolean(),
    renewals: z.boolean(),
    bills: z.enum(['full', 'balance-only', 'none']),
  })
  .strict();

/** One entry of an allow-list view: a resource type and the condition under which an instance is shown. */
const allowRule = z
  .object({
    resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/),
    /**
     * - "not-sensitive": shown unless it carries a category the view hides (after the minimum-age rule);
     * - "own-threads": Communication/CommunicationRequest the principal sent or received;
     * - "labelled-non-confidential": only with an explicit meta.security N or L label (e.g. return-to-school notes).
     */
    when: z.enum(['not-sensitive', 'own-threads', 'labelled-non-confidential']),
    source,
  })
  .strict();

const view = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full'), hiddenCategories: z.array(category), source }).strict(),
  z
    .object({
      kind: z.literal('allow-list'),
      hiddenCategories: z.array(category),
      allow: z.array(allowRule).min(1),
      source,
    })
    .strict(),
  z.object({ kind: z.literal('features-only'), source }).strict(),
]);

/** An age band [fromAge, toAge) with what the role sees in it. */
const band = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    fromAge: z.number().int().min(0),
    toAge: z.number().int().min(1),
    reason: z.string().regex(/^[a-z0-9-]+$/),
    messageKey: z.string().min(1),
    legalBasis: z.array(z.string().min(3)).min(1),
    view,
    features,
    source,
  })
  .strict()
  .refine((b) => b.toAge > b.fromAge, { message: 'toAge must be greater than fromAge', path: ['toAge'] });

/** Bands must start at 0 and be contiguous, so every age has exactly one band. */
const bands = z
  .array(band)
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((b, i) => {
      const expectedFrom = i === 0 ? 0 : list[i - 1]?.toAge;
      if (b.fromAge !== expectedFrom) {
        ctx.addIssue({
          code: 'custom',
          message: `bands must be contiguous from age 0: band "${b.id}" starts at ${b.fromAge}, expected ${expectedFrom}`,
          path: [i, 'fromAge'],
        });
      }
    });
    const last = list[list.length - 1];
    if (last && last.toAge < 120) {
      ctx.addIssue({ code: 'custom', message: 'the last band must reach age 120 or more', path: [list.length - 1, 'toAge'] });
    }
  });

const grantRule = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** Consent.category codings that mark this kind of Consent. */
    consentCategories: z.array(coding).min(1),
    /** Consent.policy.uri values (exact) that also mark it, e.g. the statute a court order cites. */
    consentPolicyUris: z.array(z.string().min(3)),
    reason: z.string().regex(/^[a-z0-9-]+$/),
    messageKey: z.string().min(1),
    legalBasis: z.array(z.string().min(3)).min(1),
    view,
    features,
    source,
  })
  .strict();

const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(3),
    hospitalName: z.string().min(2),
    /**
     * Health Information Management's phone number, shown to families who are told to contact HIM. A phone number
     * only (the app words the sentence around it in the reader's language); omit it when the hospital publishes none.
     */
    himPhone: z
      .string()
      .regex(/^[+(]?[0-9][0-9 ().-]{5,23}[0-9]$/, 'must be a phone number such as (714) 509-8460')
      .optional(),
    source,
    timeZone: z.string().refine(isValidTimeZone, { message: 'not an IANA time zone this runtime knows' }),
    leapDay: z
      .object({
        removeAccessOn: z.enum(['feb-28', 'mar-1']),
        grantAccessOn: z.enum(['feb-28', 'mar-1']),
        source,
      })
      .strict(),
    /** RelatedPerson.relationship codings that make the RelatedPerson a guardian (parent or legal guardian). */
    guardianRelationships: z.array(coding.extend({ source })).min(1),
    guardianBands: bands,
    selfBands: bands,
    /** An adult (last guardian band) whose conservator acts through a RelatedPerson named in a permit Consent. */
    conservatorship: grantRule,
    /** A teen's signed authorization widening a guardian's view, or null when the profile does not honour it. */
    teenAuthorization: grantRule.extend({ appliesToBands: z.array(z.string()).min(1) }).nullable(),
    /**
     * Per-patient flags (Patient.meta.security or meta.tag) that end guardian access from an age: a self-sufficient
     * minor (FC 6922), an individualized harm determination (HSC 123115(a)(2)).
     */
    patientFlags: z.array(
      z.object({ system: z.string().min(3), code: z.string().min(1), fromAge: z.number().int().min(0), reason: z.string(), legalBasis: z.array(z.string()).min(1), source }).strict(),
    ),
    deceased: z.object({ reason: z.string(), messageKey: z.string(), legalBasis: z.array(z.string()).min(1), source }).strict(),
    staff: z.object({ reason: z.string(), messageKey: z.string(), legalBasis: z.array(z.string()).min(1), source }).strict(),
    /**
     * What an allow-list view (a guardian of a 12–17-year-old) does with a medicine whose ingredients cannot be read at
     * all — a code in no set and names that name no known ingredient (a brand-only pack, free text): "unknown is not
     * safe". Default: hidden from the guardian (the teen still sees it in their own view).
     */
    unreadableMedication: z
      .object({ effect: z.enum(['hide-from-guardian', 'show']), source })
      .strict()
      .default({
        effect: 'hide-from-guardian',
        source: 'Sprout default (issue 8, "unknown is not safe"): a medicine nobody can read may be minor-consented care',
      }),
    /**
     * The hospital's own codes, code systems (systemAliases), names, departments, reviewed exclusions and readable
     * ingredients, added to the shipped terminology and local additions (same shape as value-sets/ca-minor-consent.json
     * without id/version/source; every entry needs a source line). Absent: the shipped value set only.
     */
    localTerminology: localTerminologySchema.optional(),
    /**
     * How families schedule (issue 12; who may request at all is each band's `features`): visit types a family may
     * book from open Slots (empty: no self-scheduling), how far ahead, whether a booked appointment more than
     * `directChangeMinHours` away may be cancelled directly (null: only as a request), and whether controlled
     * substances need a visit instead of a renewal request.
     */
    scheduling: z
      .object({
        selfScheduleVisitTypes: z.array(coding),
        horizonDays: z.number().int().min(1).max(730),
        directChangeMinHours: z.number().int().min(1).nullable(),
        controlledSubstanceRenewals: z.enum(['visit-required', 'request']),
        source,
      })
      .strict()
      .default({
        selfScheduleVisitTypes: [],
        horizonDays: 90,
        directChangeMinHours: null,
        controlledSubstanceRenewals: 'visit-required',
        source: 'Sprout default (issue 12): requests only, 90 days ahead, controlled substances need a visit',
      }),
    /** Release holds (HSC 123148 and the like): unreleased items are treated like hidden ones. Default none. */
    releaseHolds: z.array(
      z
        .object({
          id: z.string(),
          resourceTypes: z.array(z.string()).min(1),
          categories: z.array(category).optional(),
          codes: z.array(coding).optional(),
          businessDays: z.number().int().min(1).max(60),
          reason: z.string(),
          source,
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((p, ctx) => {
    const guardianBandIds = new Set(p.guardianBands.map((b) => b.id));
    for (const id of p.teenAuthorization?.appliesToBands ?? []) {
      if (!guardianBandIds.has(id)) {
        ctx.addIssue({ code: 'custom', message: `unknown guardian band "${id}"`, path: ['teenAuthorization', 'appliesToBands'] });
      }
    }
  });

export type HospitalProfile = z.infer<typeof profileSchema>;
export type ProfileBand = HospitalProfile['guardianBands'][number];
export type ProfileView = ProfileBand['view'];
export type ProfileGrantRule = HospitalProfile['conservatorship'];

/**
 * Validates a profile. Throws an Error whose message names every bad field ("guardianBands.1.fromAge: …"); callers
 * load profiles at start-up and must refuse to start if this throws.
 */
export function parseProfile(json: unknown): HospitalProfile {
  const result = profileSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    const id = typeof json === 'object' && json !== null && 'id' in json ? String(json.id) : '(no id)';
    throw new Error(`Invalid hospital profile ${id}:\n  ${lines.join('\n  ')}`);
  }
  const profile = deepFreeze(result.data);
  // A hospital's own codes are compiled now, so a conflict (a code both sensitive and excluded) stops the start-up
  // instead of hiding every record later.
  if (profile.localTerminology !== undefined) {
    try {
      valueSetForProfile(profile);
    } catch (error) {
      throw new Error(`Invalid hospital profile ${profile.id}:\n  localTerminology: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return profile;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export const BUILTIN_PROFILE_IDS = ['ca-strict', 'ca-strict-messaging', 'ca-adolescent-split'] as const;
export type BuiltinProfileId = (typeof BUILTIN_PROFILE_IDS)[number];

/**
 * The shipped profiles. `ca-strict-messaging` is the ca-strict variant CHOC's newer MyCHOC uses: identical except
 * that guardians of 12–17-year-olds keep messaging, appointment requests and balance-only billing.
 */
export const BUILTIN_PROFILES: Readonly<Record<BuiltinProfileId, HospitalProfile>> = Object.freeze({
  'ca-strict': parseProfile(caStrictJson),
  'ca-strict-messaging': parseProfile(caStrictMessagingJson),
  'ca-adolescent-split': parseProfile(caAdolescentSplitJson),
});

export function findBand(bandList: readonly ProfileBand[], age: number): ProfileBand | undefined {
  return bandList.find((b) => age >= b.fromAge && age < b.toAge);
}
