/**
 * The curated practice areas a lawyer can list. Values are the slugs stored in the database
 * (`lawyer_profiles.practice_areas`, enforced by a CHECK constraint: adding one needs a
 * migration) and sent over the API; labels are for display.
 */
export const PRACTICE_AREAS = [
  'family',
  'employment',
  'immigration',
  'criminal-defense',
  'real-estate',
  'corporate',
  'intellectual-property',
  'tax',
  'wills-and-estates',
  'personal-injury',
  'consumer',
  'data-privacy',
] as const;

export type PracticeArea = (typeof PRACTICE_AREAS)[number];

export const PRACTICE_AREA_LABELS: Readonly<Record<PracticeArea, string>> = Object.freeze({
  family: 'Family',
  employment: 'Employment',
  immigration: 'Immigration',
  'criminal-defense': 'Criminal defense',
  'real-estate': 'Real estate',
  corporate: 'Corporate',
  'intellectual-property': 'Intellectual property',
  tax: 'Tax',
  'wills-and-estates': 'Wills and estates',
  'personal-injury': 'Personal injury',
  consumer: 'Consumer',
  'data-privacy': 'Data privacy',
});

/** Every practice area with its label, in PRACTICE_AREAS order (the options of a picker). */
export const PRACTICE_AREA_OPTIONS: { value: PracticeArea; label: string }[] = PRACTICE_AREAS.map((value) => ({
  value,
  label: PRACTICE_AREA_LABELS[value],
}));

export function isPracticeArea(value: unknown): value is PracticeArea {
  return typeof value === 'string' && (PRACTICE_AREAS as readonly string[]).includes(value);
}

/** A lawyer's verification state: only VERIFIED lawyers are visible to others. */
export const LAWYER_STATUSES = ['PENDING_VERIFICATION', 'VERIFIED', 'REJECTED'] as const;
export type LawyerStatus = (typeof LAWYER_STATUSES)[number];
