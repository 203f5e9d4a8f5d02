import {
  findJurisdiction,
  findJurisdictionsInText,
  isJurisdictionCode,
  JURISDICTION_CODES,
  jurisdictionName,
  jurisdictionOptions,
} from './jurisdictions';
import { findLanguage, isLanguageCode, LANGUAGE_CODES, languageName, languageOptions } from './languages';

describe('jurisdictions', () => {
  it('lists ISO 3166-1 countries, the EU and sub-jurisdictions the product uses, each once', () => {
    for (const code of ['ES', 'DE', 'JP', 'US', 'EU', 'US-NY', 'US-NJ', 'GB-SCT', 'CA-QC']) expect(isJurisdictionCode(code)).toBe(true);
    for (const code of ['es', 'Spain', 'UK', 'ZZ', 'US-XX', '']) expect(isJurisdictionCode(code)).toBe(false);
    expect(new Set(JURISDICTION_CODES).size).toBe(JURISDICTION_CODES.length);
    expect(JURISDICTION_CODES.length).toBeGreaterThan(249);
  });

  it('names them for people', () => {
    expect(jurisdictionName('ES')).toBe('Spain');
    expect(jurisdictionName('US-NY')).toBe('New York, United States');
    expect(jurisdictionName('EU')).toBe('European Union');
    expect(jurisdictionName('ES', 'es')).toBe('España');
    // Data saved before the list existed is shown as stored.
    expect(jurisdictionName('Madrid bar')).toBe('Madrid bar');
    const options = jurisdictionOptions();
    expect(options).toHaveLength(JURISDICTION_CODES.length);
    expect(options.find((o) => o.value === 'DE')?.label).toBe('Germany');
  });

  it('finds the code for a name or code as typed', () => {
    expect(findJurisdiction('Spain')).toBe('ES');
    expect(findJurisdiction('  spain ')).toBe('ES');
    expect(findJurisdiction('New York')).toBe('US-NY');
    expect(findJurisdiction('us-ny')).toBe('US-NY');
    expect(findJurisdiction('Côte d’Ivoire')).toBe('CI');
    expect(findJurisdiction('USA')).toBe('US');
    expect(findJurisdiction('Atlantis')).toBeUndefined();
  });

  it('picks place names out of free text, longest first', () => {
    expect(findJurisdictionsInText('immigration Spain')).toEqual({ places: [{ text: 'spain', code: 'ES' }], rest: 'immigration' });
    expect(findJurisdictionsInText('New Jersey tax')).toEqual({ places: [{ text: 'new jersey', code: 'US-NJ' }], rest: 'tax' });
    // Short words are words, not codes.
    expect(findJurisdictionsInText('lawyer in de')).toEqual({ places: [], rest: 'lawyer in de' });
  });
});

describe('languages', () => {
  it('lists ISO 639-1 codes and names them', () => {
    expect(LANGUAGE_CODES).toContain('es');
    expect(LANGUAGE_CODES).not.toContain('iw'); // deprecated (he)
    expect(isLanguageCode('ja')).toBe(true);
    expect(isLanguageCode('xx')).toBe(false);
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('de', 'de')).toBe('Deutsch');
    expect(languageOptions().find((o) => o.value === 'en')?.label).toBe('English');
    expect(findLanguage('Spanish')).toBe('es');
    expect(findLanguage('EN')).toBe('en');
  });
});
