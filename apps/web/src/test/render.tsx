import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { theme } from '../app/theme';

/**
 * Renders `ui` as the page at `route` (path + search) inside the app's providers: Mantine,
 * a fresh QueryClient that does not retry, and an in-memory router whose history tests can
 * inspect (`router.state.location`) and move in (`router.navigate(-1)` is Back).
 */
export function renderPage(ui: ReactNode, { route = '/', path = '/' }: { route?: string; path?: string } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      { path, element: ui },
      { path: '/elsewhere', element: <p>Elsewhere</p> },
    ],
    { initialEntries: [route] },
  );
  const view = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...view, router, queryClient };
}

/** The in-memory router's current search params. */
export function searchOf(router: ReturnType<typeof createMemoryRouter>): URLSearchParams {
  return new URLSearchParams(router.state.location.search);
}
