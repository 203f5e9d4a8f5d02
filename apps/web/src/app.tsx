import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { RouterProvider } from 'react-router-dom';
import { createQueryClient } from './app/query-client';
import { router } from './app/router';
import { cssVariablesResolver, theme } from './app/theme';
import { AppErrorBoundary } from './components/app-error-boundary';
import { authKeys } from './features/auth/auth.queries';
import { accessToken } from './lib/access-token';

// The toast container (and its transition machinery) is not needed to paint the first page; the
// notifications store it reads is, and stays in the main bundle, so nothing shown early is lost.
const NotificationsHost = lazy(() =>
  import('./app/notifications-host').then((module) => ({ default: module.NotificationsHost })),
);

export function App() {
  const [queryClient] = useState(createQueryClient);

  // A session that ends behind the user's back (refresh refused, account suspended) signs the
  // UI out too: route guards then send them to sign-in.
  useEffect(
    () =>
      accessToken.subscribe((token) => {
        if (token === null && queryClient.getQueryData(authKeys.me())) queryClient.setQueryData(authKeys.me(), null);
      }),
    [queryClient],
  );

  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Suspense fallback={null}>
        <NotificationsHost />
      </Suspense>
      {/* Catches what the router's errorElement cannot: failures in providers or the router itself. */}
      <AppErrorBoundary>
        <QueryClientProvider client={queryClient}>
          {/* No transitions: while the next page's code loads, the shell's spinner replaces the page
              at once, instead of the previous page staying on screen and taking input meant for
              the next one (e.g. an email typed into sign-in's field instead of the reset form's). */}
          <RouterProvider router={router} useTransitions={false} />
        </QueryClientProvider>
      </AppErrorBoundary>
    </MantineProvider>
  );
}
