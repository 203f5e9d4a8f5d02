/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig(({ mode }) => {
  // '' prefix: read VITE_API_PROXY from .env files and from the shell alike.
  const env = loadEnv(mode, fromHere('.'), '');
  const apiTarget = env.VITE_API_PROXY || 'http://localhost:3000';

  return {
    plugins: [react()],
    resolve: {
      // Compile the shared libs from source: their dist is CommonJS for the API.
      alias: [
        { find: /^@lm\/domain$/, replacement: fromHere('../../libs/domain/src/index.ts') },
        { find: /^@lm\/api-client$/, replacement: fromHere('../../libs/api-client/src/index.ts') },
        { find: /^@lm\/e2ee$/, replacement: fromHere('../../libs/e2ee/src/index.ts') },
      ],
      dedupe: ['react', 'react-dom', '@mantine/core', '@mantine/hooks'],
    },
    server: {
      port: 5173,
      strictPort: true,
      // Same-origin /api in development, as in production where the API serves the SPA.
      proxy: { '/api': { target: apiTarget } },
    },
    // The component and hook tier (STYLE.md 14a): `*.test.ts(x)` next to the code, in jsdom.
    // The production build never sees these files: it starts from index.html.
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['./src/test/setup.ts'],
      restoreMocks: true,
    },
    // `vite preview` reuses server.proxy.
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      // dist/.vite/manifest.json: the chunk graph that scripts/bundle-budget.mjs measures.
      manifest: true,
      rolldownOptions: {
        output: {
          // Only the framework gets a long-lived chunk of its own: every page needs it, and app
          // releases then do not invalidate it in caches. Everything else (Mantine components,
          // TanStack Query, luxon…) is split by route, so a page loads only what it uses; one
          // forced 'mantine' or 'vendor' chunk would put every component in the first load.
          codeSplitting: {
            groups: [
              {
                name: 'react',
                test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
              },
            ],
          },
        },
      },
    },
  };
});
