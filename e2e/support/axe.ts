import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** WCAG 2.0 / 2.1 A and AA rules: what the accessibility audit of the app is held to. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it stands and fails on any serious or critical violation, listing each rule
 * with the elements it flagged (minor and moderate findings are reported in the test output, not failed).
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)})` : ''}`)
      .join('; ')}`;
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !blocking.includes(v));
  if (minor.length) console.log(`axe ${what}: ${minor.map(describe).join('\n')}`);
  // Soft: one run lists every page's violations; the test still fails at its end.
  expect.soft(blocking.map(describe), `axe on ${what} (${page.url()})`).toEqual([]);
}
