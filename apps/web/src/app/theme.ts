import { createTheme, darken, DEFAULT_THEME, type CSSVariablesResolver, type PaginationProps } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled buttons and badges (white text) use shade 8: shade 7 of red is 3.8:1 with white.
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: {
    fontWeight: '700',
  },
  // Filled buttons and badges in light colours (yellow, lime…) get dark text instead of white.
  autoContrast: true,
  // Plain objects rather than `Modal.extend(...)`: importing the components here would put
  // Modal, Drawer, Pagination… into every page's first load (the bundle budget counts it).
  components: {
    // Every dialog's X has a name for screen readers. First focus goes to the element a dialog
    // marks `data-autofocus` (its first field or its safe choice), never to the X.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } },
    // Status and role badges are never cut ("PENDING VERIFIC…"): they keep their width, and
    // wrap between words rather than overflow where there is truly no room.
    Badge: {
      styles: {
        root: { flexShrink: 0, height: 'auto', minHeight: 'var(--badge-height)', maxWidth: '100%', paddingBlock: 2 },
        label: { overflow: 'visible', textOverflow: 'clip', whiteSpace: 'normal', textAlign: 'center' },
      },
    },
    // Links in running text are underlined, not told apart by colour alone (WCAG 1.4.1).
    Anchor: { defaultProps: { underline: 'always' } },
    // Toasts: a named X, and a description dark enough to read (gray 6 is 3.3:1 on white).
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    },
    // The arrows of every pager have names.
    Pagination: {
      defaultProps: {
        getControlProps: (control: Parameters<NonNullable<PaginationProps['getControlProps']>>[0]) => ({
          'aria-label': { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' }[control],
        }),
      },
    },
    // An open option list scrolls as the listbox itself, not in a ScrollArea inside it: a scrolling
    // div in a listbox is a region keyboard users cannot reach (axe scrollable-region-focusable),
    // and making it focusable puts a non-option child in the listbox (aria-required-children).
    // The listbox is the combobox's popup (the input keeps focus, aria-activedescendant).
    Select: { defaultProps: { withScrollArea: false }, styles: { options: { maxHeight: 260, overflowY: 'auto' } } },
    MultiSelect: { defaultProps: { withScrollArea: false }, styles: { options: { maxHeight: 260, overflowY: 'auto' } } },
    // A long unbroken word in a heading (an offering title) wraps instead of widening the page.
    Title: { styles: { root: { overflowWrap: 'anywhere' } } },
  },
});

/**
 * Text colours that meet WCAG AA contrast (4.5:1) on their backgrounds, checked by the journeys'
 * axe-core scan: Mantine's "dimmed" (gray 6, 3.3:1 on white) becomes gray 7, and the text of
 * light/outline/subtle variants (badges, alerts: yellow 9 on yellow is 2.7:1) a darkened shade 9.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
    // Links stay readable on tinted alerts too (indigo 6 is 4.46:1 on yellow 0).
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
  };
  for (const name of Object.keys(DEFAULT_THEME.colors)) {
    const shades = t.colors[name];
    if (!shades) continue;
    const text = darken(shades[9], 0.35);
    light[`--mantine-color-${name}-light-color`] = text;
    light[`--mantine-color-${name}-outline`] = text;
  }
  return { variables: {}, light, dark: {} };
};
