import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ListFooter } from './list-footer';

function renderFooter(props: Partial<Parameters<typeof ListFooter>[0]> = {}) {
  const onPageChange = vi.fn();
  const view = render(
    <MantineProvider>
      <ListFooter total={45} pageSize={20} page={1} onPageChange={onPageChange} noun="user" pagesLabel="Users pages" {...props} />
    </MantineProvider>,
  );
  return { ...view, onPageChange };
}

describe('ListFooter', () => {
  it('counts the rows and offers one button per page', () => {
    renderFooter({ page: 2 });
    expect(screen.getByText('45 users')).toBeVisible();
    const pages = screen.getByLabelText('Users pages');
    expect(pages).toBeVisible();
    expect(screen.getByRole('button', { name: '3' })).toBeVisible();
    expect(screen.getByRole('button', { name: '2' })).toHaveAttribute('aria-current', 'page');
  });

  it('reports the page chosen', async () => {
    const { onPageChange } = renderFooter();
    await userEvent.click(screen.getByRole('button', { name: '3' }));
    expect(onPageChange).toHaveBeenCalledWith(3);
  });

  it('says "1 user" and shows no page switcher for a single page', () => {
    renderFooter({ total: 1 });
    expect(screen.getByText('1 user')).toBeVisible();
    expect(screen.queryByLabelText('Users pages')).toBeNull();
  });

  it('renders nothing for an empty list (the page shows its empty state instead)', () => {
    renderFooter({ total: 0 });
    expect(screen.queryByText(/user/)).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
