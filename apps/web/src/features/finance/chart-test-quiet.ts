import { vi } from 'vitest';

/** jsdom has no layout, so recharts warns that its chart is 0×0; that warning says nothing about the page. */
export function quietChartSizeWarnings(): void {
  const warn = console.warn.bind(console);
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (String(args[0]).includes('of chart should be greater than 0')) return;
    warn(...args);
  });
}
