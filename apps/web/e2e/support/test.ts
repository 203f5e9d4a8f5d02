/**
 * The journeys' `test` and `expect`: every spec imports them from here (not from
 * '@playwright/test'), so checks that apply to every page a journey visits live in one place.
 *
 * Accessibility: every page of every browser context a test uses (the `page` fixture and any
 * `browser.newContext()` page) is scanned with axe-core (WCAG 2.x A/AA rules) whenever it settles
 * on a new state — a new URL, or a dialog opening — and once more at the end of the test (and
 * before a context the test closes goes away). Any serious or critical violation fails the test
 * with a report naming the page, the rule and the offending elements. Minor and moderate findings
 * are attached to the test result (`axe-findings`) without failing it.
 *
 * Scans run in the background while the journey continues, one at a time per page, after the page
 * has been quiet (no API request in flight, no running animation) for a moment. A violation found
 * is confirmed by a second scan once the page has settled again in the same state, so a moment the
 * journey was passing through (a dialog fading out while axe worked) does not count.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';

export { expect };

/** The WCAG 2.0 / 2.1 / 2.2 level A and AA rule sets. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
/** How long a page must be quiet before it is scanned, and the most we wait for quiet. */
const QUIET_MS = 300;
const SETTLE_LIMIT_MS = 5_000;

export interface AxeOptions {
  /** axe rule ids not to run (say why next to the `test.use`). */
  disableRules: string[];
  /** CSS selectors left out of the scan. */
  exclude: string[];
}

interface Finding {
  url: string;
  state: string;
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
}

type Fixtures = { axe: AxeOptions; axeScan: void };

/** One watched page: tracks its state, debounces and serialises its scans. */
class PageWatch {
  private readonly scanned = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private lastActivity = Date.now();
  closed = false;

  constructor(
    readonly page: Page,
    private readonly options: AxeOptions,
    private readonly findings: Finding[],
    private readonly notes: string[],
  ) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.schedule();
    });
    // API calls, and a lazily loaded page's code: a scan waits for both (and does not slow them down).
    const isApiCall = (type: string) => ['fetch', 'xhr', 'document', 'script', 'stylesheet'].includes(type);
    page.on('request', (request) => {
      if (!isApiCall(request.resourceType())) return;
      this.inFlight++;
      this.lastActivity = Date.now();
    });
    const done = (request: { resourceType(): string }) => {
      if (!isApiCall(request.resourceType())) return;
      this.inFlight = Math.max(0, this.inFlight - 1);
      this.lastActivity = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('close', () => {
      this.closed = true;
      clearTimeout(this.timer);
    });
  }

  async install(): Promise<void> {
    // A dialog (Mantine Modal/Drawer) appearing is a new state of the page worth a scan.
    await this.page.exposeBinding('__axeStateChanged', () => this.schedule());
    await this.page.addInitScript(() => {
      const w = window as unknown as { __axeStateChanged?: () => void };
      let dialogs = 0;
      const observer = new MutationObserver(() => {
        const count = document.querySelectorAll('[role="dialog"], [role="alertdialog"]').length;
        if (count !== dialogs) {
          dialogs = count;
          w.__axeStateChanged?.();
        }
      });
      const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
      if (document.documentElement) start();
      else document.addEventListener('DOMContentLoaded', start);
    });
  }

  schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.enqueue(), QUIET_MS);
  }

  private enqueue(): Promise<void> {
    this.chain = this.chain.then(() => this.scanIfNew()).catch(() => undefined);
    return this.chain;
  }

  /** Waits for pending scans, then scans the current state if it has not been scanned yet. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    await this.enqueue();
  }

  private async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    while (Date.now() < deadline && !this.closed) {
      const quiet = this.inFlight === 0 && Date.now() - this.lastActivity >= QUIET_MS;
      const animating = await this.page
        .evaluate(() =>
          // Transitions and entrances (a dialog fading in); spinners' endless animations do not count.
          document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity),
        )
        .catch(() => false);
      if (quiet && !animating) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async scanIfNew(): Promise<void> {
    if (this.closed) return;
    await this.settle();
    if (this.closed) return;
    const url = this.page.url();
    if (!/^https?:/.test(url)) return; // about:blank, downloads
    const state = await this.stateOf(url);
    if (this.scanned.has(state)) return;
    try {
      let violations = await this.analyze();
      // The journey keeps going while axe works (a second or two), so a first scan can catch a
      // moment in passing: a dialog fading out, a notification sliding away, a dropdown the test
      // is closing. A violation counts when it is still there once the page has settled again in
      // the same state (a new state gets its own scan).
      if (violations.length) {
        await this.settle();
        if ((await this.stateOf(this.page.url())) !== state) return;
        const again = new Set(
          (await this.analyze()).flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.map(String).join(' ')}`)),
        );
        violations = violations
          .map((v) => ({ ...v, nodes: v.nodes.filter((n) => again.has(`${v.id} ${n.target.map(String).join(' ')}`)) }))
          .filter((v) => v.nodes.length > 0);
      }
      this.scanned.add(state);
      for (const violation of violations) {
        this.findings.push({
          url,
          state,
          rule: violation.id,
          impact: violation.impact ?? 'unknown',
          help: violation.help,
          helpUrl: violation.helpUrl,
          targets: violation.nodes.map((node) => {
            // "Fix any of the following: Element has insufficient color contrast of 3.2 (…)" → the reason.
            const why = node.failureSummary?.split('\n')[1]?.trim();
            return `${node.target.map(String).join(' ')}${why ? ` — ${why}` : ''}`;
          }),
        });
      }
    } catch (error) {
      // The page navigated or closed mid-scan: the next state gets its own scan.
      this.notes.push(`scan of ${state} interrupted: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** A page is its path: filters and paging in the query string show the same page (and scanning each would only slow the journey down). */
  private async stateOf(url: string): Promise<string> {
    const dialogs = await this.page
      .evaluate(() =>
        Array.from(document.querySelectorAll('[role="dialog"], [role="alertdialog"]'))
          .map((d) => d.getAttribute('aria-label') ?? d.querySelector('h1,h2,h3')?.textContent ?? 'dialog')
          .join(' + '),
      )
      .catch(() => '');
    const { origin, pathname } = new URL(url);
    return `${origin}${pathname}${dialogs ? ` [dialog: ${dialogs}]` : ''}`;
  }

  private async analyze() {
    let builder = new AxeBuilder({ page: this.page }).withTags(WCAG_TAGS);
    if (this.options.disableRules.length) builder = builder.disableRules(this.options.disableRules);
    for (const selector of this.options.exclude) builder = builder.exclude(selector);
    return (await builder.analyze()).violations;
  }
}

function report(findings: Finding[]): string {
  const lines = ['Accessibility (axe-core, WCAG 2 A/AA): serious or critical violations'];
  for (const f of findings) {
    lines.push(``, `• ${f.rule} (${f.impact}) on ${f.state}`, `  ${f.help} — ${f.helpUrl}`);
    for (const target of f.targets.slice(0, 8)) lines.push(`    ${target}`);
    if (f.targets.length > 8) lines.push(`    … and ${f.targets.length - 8} more`);
  }
  return lines.join('\n');
}

async function attach(testInfo: TestInfo, name: string, body: unknown): Promise<void> {
  await testInfo.attach(name, { body: JSON.stringify(body, null, 2), contentType: 'application/json' });
}

export const test = base.extend<Fixtures>({
  axe: [{ disableRules: [], exclude: [] }, { option: true }],

  axeScan: [
    async ({ context, browser, axe }, use, testInfo) => {
      const findings: Finding[] = [];
      const notes: string[] = [];
      const watches: PageWatch[] = [];

      const watchPage = async (page: Page) => {
        const watch = new PageWatch(page, axe, findings, notes);
        watches.push(watch);
        await watch.install();
        if (page.url() !== 'about:blank') watch.schedule();
      };
      const watchContext = async (ctx: BrowserContext) => {
        ctx.on('page', (page) => void watchPage(page));
        for (const page of ctx.pages()) await watchPage(page);
        // Scan what the test's pages show before a context it closes takes them away.
        const close = ctx.close.bind(ctx);
        ctx.close = async (...args: Parameters<BrowserContext['close']>) => {
          await Promise.all(watches.filter((w) => w.page.context() === ctx && !w.closed).map((w) => w.flush()));
          return close(...args);
        };
      };

      await watchContext(context);
      const newContext = browser.newContext.bind(browser);
      const patched = browser as Browser & { newContext: Browser['newContext'] };
      patched.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const ctx = await newContext(...args);
        await watchContext(ctx);
        return ctx;
      };

      try {
        await use();
        await Promise.all(watches.filter((w) => !w.closed).map((w) => w.flush()));
      } finally {
        patched.newContext = newContext;
      }

      const failing = findings.filter((f) => FAILING_IMPACTS.has(f.impact));
      const other = findings.filter((f) => !FAILING_IMPACTS.has(f.impact));
      if (other.length || notes.length) await attach(testInfo, 'axe-findings', { minorOrModerate: other, notes });
      if (failing.length) {
        await attach(testInfo, 'axe-violations', failing);
        // Only fail a test that otherwise passed: a failed step already has its own report.
        if (testInfo.status === testInfo.expectedStatus) throw new Error(report(failing));
      }
    },
    { auto: true },
  ],
});
