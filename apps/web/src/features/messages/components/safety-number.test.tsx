import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../../test/render';
import { ANA, fakeServices, withE2ee } from '../messages.fixtures';
import { SafetyNumberModal, safetyGroups } from './safety-number';

const DIGITS = '123456789012345678901234567890098765432109876543210987654321';

describe('safety number', () => {
  it('splits 60 digits into 12 groups of 5', () => {
    const groups = safetyGroups(DIGITS);
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => /^\d{5}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(DIGITS);
  });

  it('shows the groups in the modal, with whom to compare them, and offers to accept changed keys', async () => {
    const fake = fakeServices({
      safetyNumber: () => Promise.resolve({ digits: DIGITS, groups: safetyGroups(DIGITS), identityChanged: true }),
    });
    renderPage(
      withE2ee(
        fake.services,
        <SafetyNumberModal opened onClose={() => {}} counterpartUserId={ANA} counterpartName="Ana López" />,
      ),
    );

    const number = await screen.findByTestId('safety-number');
    expect(number).toHaveAccessibleName(`Safety number: ${safetyGroups(DIGITS).join(' ')}`);
    expect(number.textContent).toBe(DIGITS);
    expect(number.children).toHaveLength(12);
    expect(screen.getByText(/Compare these numbers with Ana López in person or by phone/)).toBeVisible();
    expect(fake.client.safetyNumber).toHaveBeenCalledWith(ANA);

    await userEvent.click(screen.getByRole('button', { name: 'Numbers match — accept new keys' }));
    expect(fake.client.acceptIdentityChange).toHaveBeenCalledWith(ANA);
  });
});
