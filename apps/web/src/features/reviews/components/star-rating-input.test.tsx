import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { theme } from '../../../app/theme';
import { StarRatingInput } from './star-rating-input';

function Harness({ error }: { error?: string }) {
  const [value, setValue] = useState<number | null>(null);
  return (
    <MantineProvider theme={theme}>
      <StarRatingInput label="Your rating" value={value} onChange={setValue} error={error} required />
      <output data-testid="value">{value ?? 'none'}</output>
    </MantineProvider>
  );
}

describe('StarRatingInput', () => {
  it('is a labelled group of five radio buttons, each read with its word', () => {
    render(<Harness />);
    const group = screen.getByRole('radiogroup', { name: /Your rating/ });
    expect(group).toHaveAttribute('aria-required', 'true');
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual([
      '1 star, Poor',
      '2 stars, Fair',
      '3 stars, Good',
      '4 stars, Very good',
      '5 stars, Excellent',
    ]);
  });

  it('works from the keyboard: Tab into the group, arrows change the rating', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.tab();
    expect(screen.getByRole('radio', { name: '1 star, Poor' })).toHaveFocus();
    await user.keyboard(' ');
    expect(screen.getByTestId('value')).toHaveTextContent('1');
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('radio', { name: '4 stars, Very good' })).toBeChecked();
    expect(screen.getByTestId('value')).toHaveTextContent('4');
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('radio', { name: '3 stars, Good' })).toBeChecked();
    expect(screen.getByTestId('value')).toHaveTextContent('3');
  });

  it('clicking a star chooses it', async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole('radio', { name: '5 stars, Excellent' }));
    expect(screen.getByTestId('value')).toHaveTextContent('5');
  });

  it('shows its error and marks the group invalid', () => {
    render(<Harness error="Choose from 1 to 5 stars" />);
    const group = screen.getByRole('radiogroup', { name: /Your rating/ });
    expect(group).toHaveAttribute('aria-invalid', 'true');
    expect(group).toHaveAccessibleDescription('Choose from 1 to 5 stars');
  });
});
