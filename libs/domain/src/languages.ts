/**
 * Languages a lawyer consults in: ISO 639-1 codes (lower case) as stored and sent over the API;
 * people see names from the platform's Intl.DisplayNames.
 */
export const LANGUAGE_CODES: readonly string[] = Object.freeze([
  'aa',
  'ab',
  'ae',
  'af',
  'ak',
  'am',
  'an',
  'ar',
  'as',
  'av',
  'ay',
  'az',
  'ba',
  'be',
  'bg',
  'bi',
  'bm',
  'bn',
  'bo',
  'br',
  'bs',
  'ca',
  'ce',
  'ch',
  'co',
  'cr',
  'cs',
  'cu',
  'cv',
  'cy',
  'da',
  'de',
  'dv',
  'dz',
  'ee',
  'el',
  'en',
  'eo',
  'es',
  'et',
  'eu',
  'fa',
  'ff',
  'fi',
  'fj',
  'fo',
  'fr',
  'fy',
  'ga',
  'gd',
  'gl',
  'gn',
  'gu',
  'gv',
  'ha',
  'he',
  'hi',
  'ho',
  'hr',
  'ht',
  'hu',
  'hy',
  'hz',
  'ia',
  'id',
  'ie',
  'ig',
  'ii',
  'ik',
  'io',
  'is',
  'it',
  'iu',
  'ja',
  'jv',
  'ka',
  'kg',
  'ki',
  'kj',
  'kk',
  'kl',
  'km',
  'kn',
  'ko',
  'kr',
  'ks',
  'ku',
  'kv',
  'kw',
  'ky',
  'la',
  'lb',
  'lg',
  'li',
  'ln',
  'lo',
  'lt',
  'lu',
  'lv',
  'mg',
  'mh',
  'mi',
  'mk',
  'ml',
  'mn',
  'mr',
  'ms',
  'mt',
  'my',
  'na',
  'nb',
  'nd',
  'ne',
  'ng',
  'nl',
  'nn',
  'no',
  'nr',
  'nv',
  'ny',
  'oc',
  'oj',
  'om',
  'or',
  'os',
  'pa',
  'pi',
  'pl',
  'ps',
  'pt',
  'qu',
  'rm',
  'rn',
  'ro',
  'ru',
  'rw',
  'sa',
  'sc',
  'sd',
  'se',
  'sg',
  'si',
  'sk',
  'sl',
  'sm',
  'sn',
  'so',
  'sq',
  'sr',
  'ss',
  'st',
  'su',
  'sv',
  'sw',
  'ta',
  'te',
  'tg',
  'th',
  'ti',
  'tk',
  'tl',
  'tn',
  'to',
  'tr',
  'ts',
  'tt',
  'tw',
  'ty',
  'ug',
  'uk',
  'ur',
  'uz',
  've',
  'vi',
  'vo',
  'wa',
  'wo',
  'xh',
  'yi',
  'yo',
  'za',
  'zh',
  'zu',
]);

const LANGUAGE_SET = new Set(LANGUAGE_CODES);

export function isLanguageCode(code: string): boolean {
  return LANGUAGE_SET.has(code);
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

/** A language's name in `locale` ("Spanish", or "español" for 'es'); the code when unknown. */
export function languageName(code: string, locale = 'en'): string {
  if (!displayNames.has(locale)) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'language', fallback: 'code' });
    } catch {
      names = null;
    }
    displayNames.set(locale, names);
  }
  try {
    return displayNames.get(locale)?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every language as a picker option, sorted by name. */
export function languageOptions(locale = 'en'): { value: string; label: string }[] {
  return LANGUAGE_CODES.map((value) => ({ value, label: languageName(value, locale) })).sort((a, b) =>
    a.label.localeCompare(b.label, locale),
  );
}

/** The code for a language's code or English name ("Spanish", "es"). */
export function findLanguage(text: string): string | undefined {
  const key = text.trim().toLowerCase();
  if (LANGUAGE_SET.has(key)) return key;
  return LANGUAGE_CODES.find((code) => languageName(code, 'en').toLowerCase() === key);
}
