/**
 * The California minor-consent law table (design/policy.md), as reviewed data: each sensitivity category the
 * classifier can assign, the statute behind it, the youngest age at which a minor may consent to that care alone,
 * and the HL7 security labels that mark it.
 *
 * `minimumAge` is what makes parent-consented care visible: an item from care received *below* the category's minimum
 * age was consented to by the parent (e.g. ADHD treatment at 7), so it is not minor-consented and is not hidden for
 * that reason. A minimum age of 0 means "any age": such items are hidden whenever the view hides the category.
 */

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export const SENSITIVITY_CATEGORIES = {
  'sexual-reproductive': {
    title: 'Pregnancy, contraception and abortion',
    minimumAge: 0,
    legalBasis: ['Cal. Family Code 6925 (pregnancy prevention and treatment, any age)'],
    labels: ['SEX', 'PREGNANT'],
  },
  'sexual-assault': {
    title: 'Sexual assault and rape care',
    minimumAge: 0,
    legalBasis: ['Cal. Family Code 6928 (sexual assault, any age)', 'Cal. Family Code 6927 (rape, 12 and older)'],
    // SDV also covers intimate-partner violence; it maps here because 6928 (any age) is the stricter reading.
    labels: ['SDV'],
  },
  'intimate-partner-violence': {
    title: 'Intimate-partner violence',
    minimumAge: 12,
    legalBasis: ['Cal. Family Code 6930 (intimate-partner violence, 12 and older)'],
    labels: [],
  },
  'mental-health': {
    title: 'Outpatient mental health',
    minimumAge: 12,
    legalBasis: [
      'Cal. Family Code 6924 (outpatient mental health, 12 and older)',
      'Cal. Health & Safety Code 124260 (mental health counseling, 12 and older)',
    ],
    labels: ['MH', 'PSY', 'BH', 'PSYTHPN'],
  },
  sti: {
    title: 'Sexually transmitted infections and HIV (diagnosis, treatment, prevention)',
    minimumAge: 12,
    legalBasis: ['Cal. Family Code 6926 (STD diagnosis, treatment and prevention incl. HIV, 12 and older)'],
    labels: ['STD', 'HIV'],
  },
  'substance-use': {
    title: 'Drug and alcohol care',
    minimumAge: 12,
    legalBasis: ['Cal. Family Code 6929 (drug and alcohol treatment, 12 and older)'],
    labels: ['SUD', 'ETH', 'ETHUD', 'OPIOIDUD'],
  },
  genetic: {
    title: 'Genetic information',
    minimumAge: 0,
    legalBasis: ['Hospital practice (CHLA keeps genetics off the guardian portal); not a minor-consent statute'],
    labels: ['GDIS'],
  },
  restricted: {
    title: 'Restricted by the care team',
    minimumAge: 0,
    legalBasis: [
      'Cal. Health & Safety Code 123115(a)(2) (provider determined access would harm the minor)',
      'HL7 v3 Confidentiality R',
    ],
    labels: [],
  },
  'very-restricted': {
    title: 'Very restricted',
    minimumAge: 0,
    legalBasis: ['HL7 v3 Confidentiality V'],
    labels: [],
  },
} as const;

export type SensitivityCategory = keyof typeof SENSITIVITY_CATEGORIES;
export const SENSITIVITY_CATEGORY_IDS = Object.keys(SENSITIVITY_CATEGORIES) as [
  SensitivityCategory,
  ...SensitivityCategory[],
];

export function isSensitivityCategory(value: string): value is SensitivityCategory {
  return Object.hasOwn(SENSITIVITY_CATEGORIES, value);
}

/** v3-ActCode sensitivity label → category, compiled once from the table above. */
export const CATEGORY_BY_ACT_CODE: ReadonlyMap<string, SensitivityCategory> = new Map(
  SENSITIVITY_CATEGORY_IDS.flatMap((id) =>
    SENSITIVITY_CATEGORIES[id].labels.map((label): [string, SensitivityCategory] => [label, id]),
  ),
);

/** v3-Confidentiality code → category. N (normal) and L (low) mark nothing. */
export const CATEGORY_BY_CONFIDENTIALITY: ReadonlyMap<string, SensitivityCategory> = new Map([
  ['R', 'restricted'],
  ['V', 'very-restricted'],
]);
