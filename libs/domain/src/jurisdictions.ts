/**
 * Where a lawyer may practise: ISO 3166-1 alpha-2 countries (plus Kosovo, XK), the European Union
 * (EU) and the sub-national jurisdictions the product lists (ISO 3166-2: US states, Canadian
 * provinces, UK nations, Australian states). Stored and sent over the API as these codes; people
 * see names (`jurisdictionName`), country names from the platform's Intl.DisplayNames.
 */

/** ISO 3166-1 alpha-2, plus XK (Kosovo, user-assigned but in common use). */
export const COUNTRY_CODES: readonly string[] = Object.freeze([
  'AD',
  'AE',
  'AF',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AQ',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
  'BA',
  'BB',
  'BD',
  'BE',
  'BF',
  'BG',
  'BH',
  'BI',
  'BJ',
  'BL',
  'BM',
  'BN',
  'BO',
  'BQ',
  'BR',
  'BS',
  'BT',
  'BV',
  'BW',
  'BY',
  'BZ',
  'CA',
  'CC',
  'CD',
  'CF',
  'CG',
  'CH',
  'CI',
  'CK',
  'CL',
  'CM',
  'CN',
  'CO',
  'CR',
  'CU',
  'CV',
  'CW',
  'CX',
  'CY',
  'CZ',
  'DE',
  'DJ',
  'DK',
  'DM',
  'DO',
  'DZ',
  'EC',
  'EE',
  'EG',
  'EH',
  'ER',
  'ES',
  'ET',
  'FI',
  'FJ',
  'FK',
  'FM',
  'FO',
  'FR',
  'GA',
  'GB',
  'GD',
  'GE',
  'GF',
  'GG',
  'GH',
  'GI',
  'GL',
  'GM',
  'GN',
  'GP',
  'GQ',
  'GR',
  'GS',
  'GT',
  'GU',
  'GW',
  'GY',
  'HK',
  'HM',
  'HN',
  'HR',
  'HT',
  'HU',
  'ID',
  'IE',
  'IL',
  'IM',
  'IN',
  'IO',
  'IQ',
  'IR',
  'IS',
  'IT',
  'JE',
  'JM',
  'JO',
  'JP',
  'KE',
  'KG',
  'KH',
  'KI',
  'KM',
  'KN',
  'KP',
  'KR',
  'KW',
  'KY',
  'KZ',
  'LA',
  'LB',
  'LC',
  'LI',
  'LK',
  'LR',
  'LS',
  'LT',
  'LU',
  'LV',
  'LY',
  'MA',
  'MC',
  'MD',
  'ME',
  'MF',
  'MG',
  'MH',
  'MK',
  'ML',
  'MM',
  'MN',
  'MO',
  'MP',
  'MQ',
  'MR',
  'MS',
  'MT',
  'MU',
  'MV',
  'MW',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NC',
  'NE',
  'NF',
  'NG',
  'NI',
  'NL',
  'NO',
  'NP',
  'NR',
  'NU',
  'NZ',
  'OM',
  'PA',
  'PE',
  'PF',
  'PG',
  'PH',
  'PK',
  'PL',
  'PM',
  'PN',
  'PR',
  'PS',
  'PT',
  'PW',
  'PY',
  'QA',
  'RE',
  'RO',
  'RS',
  'RU',
  'RW',
  'SA',
  'SB',
  'SC',
  'SD',
  'SE',
  'SG',
  'SH',
  'SI',
  'SJ',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SR',
  'SS',
  'ST',
  'SV',
  'SX',
  'SY',
  'SZ',
  'TC',
  'TD',
  'TF',
  'TG',
  'TH',
  'TJ',
  'TK',
  'TL',
  'TM',
  'TN',
  'TO',
  'TR',
  'TT',
  'TV',
  'TW',
  'TZ',
  'UA',
  'UG',
  'UM',
  'US',
  'UY',
  'UZ',
  'VA',
  'VC',
  'VE',
  'VG',
  'VI',
  'VN',
  'VU',
  'WF',
  'WS',
  'XK',
  'YE',
  'YT',
  'ZA',
  'ZM',
  'ZW',
]);

/** Jurisdictions above or below a country, with their English names. */
export const OTHER_JURISDICTIONS: Readonly<Record<string, { name: string; country?: string }>> = Object.freeze({
  EU: { name: 'European Union' },
  'US-AL': { name: 'Alabama', country: 'US' },
  'US-AK': { name: 'Alaska', country: 'US' },
  'US-AZ': { name: 'Arizona', country: 'US' },
  'US-AR': { name: 'Arkansas', country: 'US' },
  'US-CA': { name: 'California', country: 'US' },
  'US-CO': { name: 'Colorado', country: 'US' },
  'US-CT': { name: 'Connecticut', country: 'US' },
  'US-DE': { name: 'Delaware', country: 'US' },
  'US-DC': { name: 'District of Columbia', country: 'US' },
  'US-FL': { name: 'Florida', country: 'US' },
  'US-GA': { name: 'Georgia', country: 'US' },
  'US-HI': { name: 'Hawaii', country: 'US' },
  'US-ID': { name: 'Idaho', country: 'US' },
  'US-IL': { name: 'Illinois', country: 'US' },
  'US-IN': { name: 'Indiana', country: 'US' },
  'US-IA': { name: 'Iowa', country: 'US' },
  'US-KS': { name: 'Kansas', country: 'US' },
  'US-KY': { name: 'Kentucky', country: 'US' },
  'US-LA': { name: 'Louisiana', country: 'US' },
  'US-ME': { name: 'Maine', country: 'US' },
  'US-MD': { name: 'Maryland', country: 'US' },
  'US-MA': { name: 'Massachusetts', country: 'US' },
  'US-MI': { name: 'Michigan', country: 'US' },
  'US-MN': { name: 'Minnesota', country: 'US' },
  'US-MS': { name: 'Mississippi', country: 'US' },
  'US-MO': { name: 'Missouri', country: 'US' },
  'US-MT': { name: 'Montana', country: 'US' },
  'US-NE': { name: 'Nebraska', country: 'US' },
  'US-NV': { name: 'Nevada', country: 'US' },
  'US-NH': { name: 'New Hampshire', country: 'US' },
  'US-NJ': { name: 'New Jersey', country: 'US' },
  'US-NM': { name: 'New Mexico', country: 'US' },
  'US-NY': { name: 'New York', country: 'US' },
  'US-NC': { name: 'North Carolina', country: 'US' },
  'US-ND': { name: 'North Dakota', country: 'US' },
  'US-OH': { name: 'Ohio', country: 'US' },
  'US-OK': { name: 'Oklahoma', country: 'US' },
  'US-OR': { name: 'Oregon', country: 'US' },
  'US-PA': { name: 'Pennsylvania', country: 'US' },
  'US-RI': { name: 'Rhode Island', country: 'US' },
  'US-SC': { name: 'South Carolina', country: 'US' },
  'US-SD': { name: 'South Dakota', country: 'US' },
  'US-TN': { name: 'Tennessee', country: 'US' },
  'US-TX': { name: 'Texas', country: 'US' },
  'US-UT': { name: 'Utah', country: 'US' },
  'US-VT': { name: 'Vermont', country: 'US' },
  'US-VA': { name: 'Virginia', country: 'US' },
  'US-WA': { name: 'Washington', country: 'US' },
  'US-WV': { name: 'West Virginia', country: 'US' },
  'US-WI': { name: 'Wisconsin', country: 'US' },
  'US-WY': { name: 'Wyoming', country: 'US' },
  'CA-AB': { name: 'Alberta', country: 'CA' },
  'CA-BC': { name: 'British Columbia', country: 'CA' },
  'CA-MB': { name: 'Manitoba', country: 'CA' },
  'CA-NB': { name: 'New Brunswick', country: 'CA' },
  'CA-NL': { name: 'Newfoundland and Labrador', country: 'CA' },
  'CA-NS': { name: 'Nova Scotia', country: 'CA' },
  'CA-NT': { name: 'Northwest Territories', country: 'CA' },
  'CA-NU': { name: 'Nunavut', country: 'CA' },
  'CA-ON': { name: 'Ontario', country: 'CA' },
  'CA-PE': { name: 'Prince Edward Island', country: 'CA' },
  'CA-QC': { name: 'Quebec', country: 'CA' },
  'CA-SK': { name: 'Saskatchewan', country: 'CA' },
  'CA-YT': { name: 'Yukon', country: 'CA' },
  'GB-ENG': { name: 'England', country: 'GB' },
  'GB-NIR': { name: 'Northern Ireland', country: 'GB' },
  'GB-SCT': { name: 'Scotland', country: 'GB' },
  'GB-WLS': { name: 'Wales', country: 'GB' },
  'AU-ACT': { name: 'Australian Capital Territory', country: 'AU' },
  'AU-NSW': { name: 'New South Wales', country: 'AU' },
  'AU-NT': { name: 'Northern Territory', country: 'AU' },
  'AU-QLD': { name: 'Queensland', country: 'AU' },
  'AU-SA': { name: 'South Australia', country: 'AU' },
  'AU-TAS': { name: 'Tasmania', country: 'AU' },
  'AU-VIC': { name: 'Victoria', country: 'AU' },
  'AU-WA': { name: 'Western Australia', country: 'AU' },
});

/** Every code a lawyer can list, countries first. */
export const JURISDICTION_CODES: readonly string[] = Object.freeze([...COUNTRY_CODES, ...Object.keys(OTHER_JURISDICTIONS)]);

const JURISDICTION_SET = new Set(JURISDICTION_CODES);

export function isJurisdictionCode(code: string): boolean {
  return JURISDICTION_SET.has(code);
}

/** Other names people type for a jurisdiction (English), besides its display name and code. */
const ALIASES: Readonly<Record<string, string[]>> = {
  US: ['USA', 'United States of America', 'America'],
  GB: ['UK', 'Great Britain', 'Britain'],
  'US-NY': ['New York State'],
  'US-DC': ['Washington DC', 'Washington D.C.'],
  AE: ['UAE'],
  NL: ['Holland'],
  CZ: ['Czech Republic'],
};

const displayNames = new Map<string, Intl.DisplayNames | null>();

function regionNames(locale: string): Intl.DisplayNames | null {
  if (!displayNames.has(locale)) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
    } catch {
      names = null;
    }
    displayNames.set(locale, names);
  }
  return displayNames.get(locale) ?? null;
}

/** A country's name in `locale` (English when the platform has no names); the code when unknown. */
export function countryName(code: string, locale = 'en'): string {
  try {
    return regionNames(locale)?.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A jurisdiction's name for people: "Spain", "New York, United States", "European Union".
 * Anything not on the list (data saved before the list existed) is shown as it was stored.
 */
export function jurisdictionName(code: string, locale = 'en'): string {
  const other = OTHER_JURISDICTIONS[code];
  if (other) return other.country ? `${other.name}, ${countryName(other.country, locale)}` : other.name;
  return JURISDICTION_SET.has(code) ? countryName(code, locale) : code;
}

/** Every jurisdiction as a picker option, sorted by name. */
export function jurisdictionOptions(locale = 'en'): { value: string; label: string }[] {
  return JURISDICTION_CODES.map((value) => ({ value, label: jurisdictionName(value, locale) })).sort((a, b) =>
    a.label.localeCompare(b.label, locale),
  );
}

/** Lower case, accents folded, punctuation to single spaces: how names are compared. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

let nameIndex: Map<string, string> | null = null;

/** English names, local names of sub-jurisdictions, aliases and codes → code (countries win over states). */
function names(): Map<string, string> {
  if (nameIndex) return nameIndex;
  const index = new Map<string, string>();
  const add = (name: string, code: string) => {
    const key = normalizeName(name);
    if (key && !index.has(key)) index.set(key, code);
  };
  for (const code of JURISDICTION_CODES) add(code, code);
  for (const code of COUNTRY_CODES) add(countryName(code, 'en'), code);
  for (const [code, { name }] of Object.entries(OTHER_JURISDICTIONS)) {
    add(name, code);
    add(jurisdictionName(code, 'en'), code);
  }
  for (const [code, aliases] of Object.entries(ALIASES)) for (const alias of aliases) add(alias, code);
  nameIndex = index;
  return index;
}

/** The code for a jurisdiction's code or name as a person types it ("spain", "New York", "us-ny"). */
export function findJurisdiction(text: string): string | undefined {
  return names().get(normalizeName(text));
}

/**
 * The place names in free text: "immigration new york" → places [{ text: 'new york', code: 'US-NY' }]
 * and rest "immigration". Longest names first (so "New Jersey" is not "Jersey"); two-letter words
 * are never taken for codes here ("in", "de" are words too).
 */
export function findJurisdictionsInText(text: string, maxWords = 4): { places: { text: string; code: string }[]; rest: string } {
  const words = normalizeName(text).split(' ').filter(Boolean);
  const places: { text: string; code: string }[] = [];
  const rest: string[] = [];
  const index = names();
  for (let i = 0; i < words.length;) {
    let matched = 0;
    for (let n = Math.min(maxWords, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      if (n === 1 && phrase.length <= 3) continue;
      const code = index.get(phrase);
      if (code) {
        places.push({ text: phrase, code });
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else rest.push(words[i++]!);
  }
  return { places, rest: rest.join(' ') };
}
