import { ApiError } from '@lm/api-client';
import { describe, expect, it } from 'vitest';
import { validateOffering } from '../features/offerings/components/offering-form-modal';
import { windowsProblem } from '../features/availability/components/windows-editor';
import { rangeProblem, AVAILABILITY_LIMITS } from '../features/availability/components/weekly-hours-form';
import { validateLawyerProfile } from '../features/lawyer/components/lawyer-profile-form';
import { errorSummary, fieldErrorsOf, humanFieldMessage } from './field-errors';
import { currencyForLocale, parsePrice } from './money';

const apiError = (fields: { field: string; messages: string[] }[] | undefined, message = 'The request is invalid', code = 'VALIDATION_FAILED') =>
  new ApiError({ status: 400, code, message, requestId: 'r', fields });

describe('server messages in words for people', () => {
  it.each([
    ['displayName', 'displayName must not be blank', { blank: 'Enter your name' }, 'Enter your name'],
    ['durationMinutes', 'durationMinutes must be between 15 and 240 minutes', { noun: 'a duration', unit: 'minutes' }, 'Enter a duration between 15 and 240 minutes'],
    ['priceMinor', 'priceMinor must not be greater than 100000000', { noun: 'a price' }, 'Enter a price of at most 100000000'],
    ['title', 'title must be at most 120 characters', {}, 'Use at most 120 characters'],
    ['title', 'title must be shorter than or equal to 120 characters', {}, 'Use at most 120 characters'],
    ['jurisdictions', 'each jurisdiction must be a listed code: an ISO 3166-1 country (ES), EU, or a sub-jurisdiction (US-NY)', {}, 'Choose jurisdictions from the list'],
    ['weekly', 'end must be after start', {}, 'Each end time must be after its start time.'],
  ])('%s: "%s"', (field, raw, words, expected) => {
    expect(humanFieldMessage(field, raw, words)).toBe(expected);
  });

  it('never shows a field’s code name, even for a rule it does not know', () => {
    const text = humanFieldMessage('maxSessionsPerDay', 'maxSessionsPerDay must be something new');
    expect(text).toBe('Must be something new.');
    expect(text).not.toContain('maxSessionsPerDay');
  });

  it('maps an API error to its fields, nested fields also under their top-level field', () => {
    const fields = fieldErrorsOf(
      apiError([
        { field: 'displayName', messages: ['displayName must not be blank'] },
        { field: 'weekly.0.end', messages: ['end must be HH:MM between 00:00 and 24:00'] },
      ]),
      { displayName: { blank: 'Enter your name' } },
    );
    expect(fields.displayName).toBe('Enter your name');
    expect(fields.weekly).toBe('Enter times as hours and minutes, e.g. 09:30.');
    expect(fields['weekly.0.end']).toBe(fields.weekly);
  });

  it('puts a domain error that names its field ("weekly[0]: end must be after start") on that field', () => {
    const fields = fieldErrorsOf(apiError(undefined, 'weekly[0]: end must be after start', 'INVALID_AVAILABILITY'));
    expect(fields).toEqual({ weekly: 'Each end time must be after its start time.' });
    expect(fieldErrorsOf(new Error('x'))).toEqual({});
  });

  it('summarises how many fields need fixing', () => {
    expect(errorSummary({})).toBeNull();
    expect(errorSummary({ title: 'x' })).toBe('Fix the highlighted field to save.');
    expect(errorSummary({ title: 'x', weekly: 'y', 'weekly.0.end': 'y' })).toBe('Fix the 2 highlighted fields to save.');
  });
});

describe('the forms’ own checks mirror the API and never adjust values', () => {
  it('offering: duration 15-240, title up to 120 characters', () => {
    expect(validateOffering({ title: 'Call', description: '', duration: 5 })).toEqual({
      durationMinutes: 'Enter a duration between 15 and 240 minutes',
    });
    expect(validateOffering({ title: 'Call', description: '', duration: 500 }).durationMinutes).toBe('Enter a duration between 15 and 240 minutes');
    expect(validateOffering({ title: 'Call', description: '', duration: '' }).durationMinutes).toBeDefined();
    expect(validateOffering({ title: 'x'.repeat(121), description: '', duration: 60 }).title).toBe('Use at most 120 characters (now 121)');
    expect(validateOffering({ title: '  ', description: '', duration: 60 }).title).toBe('Enter a title');
    expect(validateOffering({ title: 'Call', description: '', duration: 60 })).toEqual({});
  });

  it('availability: ranges and windows', () => {
    expect(rangeProblem(0, AVAILABILITY_LIMITS.maxSessionsPerDay, 'sessions')).toBe('Enter a number between 1 and 48 sessions');
    expect(rangeProblem(48, AVAILABILITY_LIMITS.maxSessionsPerDay)).toBeNull();
    expect(rangeProblem('241', AVAILABILITY_LIMITS.bufferBeforeMinutes, 'minutes')).toBe('Enter a buffer between 0 and 240 minutes');
    expect(rangeProblem(2.5, AVAILABILITY_LIMITS.bufferAfterMinutes)).not.toBeNull();
    expect(windowsProblem([{ start: '17:00', end: '09:00' }])).toMatch(/end time must be after its start/);
    expect(windowsProblem([{ start: '09:00', end: '24:00' }])).toBeNull();
    expect(windowsProblem([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }])).toMatch(/overlap/);
    expect(windowsProblem([{ start: '', end: '12:00' }])).toMatch(/Enter both times/);
  });

  it('professional profile: required bar details and list sizes', () => {
    const ok = { barNumber: 'B-1', barJurisdiction: 'Madrid', jurisdictions: ['ES'], languages: ['es'], bio: '' };
    expect(validateLawyerProfile(ok)).toEqual({});
    expect(validateLawyerProfile({ ...ok, barNumber: ' ' }).barNumber).toBe('Enter your bar number');
    expect(validateLawyerProfile({ ...ok, bio: 'x'.repeat(4001) }).bio).toBe('Use at most 4000 characters (now 4001)');
  });

  it('prices: the API’s maximum, and the currency a viewer compares in', () => {
    expect(parsePrice('1000000', 'EUR')).toEqual({ minor: 100_000_000 });
    expect(parsePrice('1000000.01', 'EUR')).toEqual({ error: 'Enter a price of at most 1000000.00 EUR' });
    expect(currencyForLocale('en-GB')).toBe('GBP');
    expect(currencyForLocale('en')).toBe('USD');
    expect(currencyForLocale('es-ES')).toBe('EUR');
    expect(currencyForLocale('ja')).toBe('JPY');
  });
});
