import axe from 'axe-core';

/**
 * Runs axe-core (WCAG 2 A/AA) over `root` and returns the violations as "rule: target" lines, so
 * a failing expectation names what is wrong. Colour contrast needs real layout, which jsdom does
 * not have (the Playwright journeys check it); `region` is about the page shell, not a component.
 */
export async function axeViolations(root: Element = document.body): Promise<string[]> {
  const result = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
  });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}
