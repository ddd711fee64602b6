/**
 * The CFO page in Mexican, Colombian and US formats, in a real browser on the demo warehouse: each
 * tile reads as the shared formatter writes the panel's own number, money axes and tooltips name
 * the currency in the reader's units and words, tiles and charts agree for an as-of in the middle
 * of a month, and the CFO goes from a debtor (search or chart) to its statement. Screenshots of
 * each locale go to test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatsFor, formatValue } from '../../src/locale/formats.ts';
import { openDemoSite, SHOTS, signInAt, type DemoSite } from './browser.ts';

let site: DemoSite;
beforeAll(async () => {
  site = await openDemoSite();
});
afterAll(() => site?.close());

type Rows = Record<string, unknown>[];

/** A panel's rows as the page fetched them (same session, same filters). */
async function panelRows(page: Page, id: string, query: string): Promise<Rows> {
  return page.evaluate(async ([id, query]) => (await (await fetch(`/api/dashboards/cfo/panels/${id}?${query}`)).json()).rows, [id, query] as const);
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('#panels[data-state=ready]', { timeout: 30_000 });
}

// The units each language writes large amounts in, and its decimal mark.
const SHORT: Record<string, RegExp> = {
  'es-MX': /^\d{1,3}(\.\d{1,2})? (mil M|M|mil) MXN$/,
  'es-CO': /^\d{1,3}(,\d{1,2})? (mil M|M|mil) MXN$/,
  'en-US': /^\d{1,3}(\.\d{1,2})? (B|M|k) MXN$/,
};
// An axis label in those units, with the locale's decimal mark.
const AXIS: Record<string, RegExp> = {
  'es-MX': /^-?\d{1,3}(\.\d{1,2})? (mil M|M|mil)$/,
  'es-CO': /^-?\d{1,3}(,\d{1,2})? (mil M|M|mil)$/,
  'en-US': /^-?\d{1,3}(\.\d{1,2})? (B|M|k)$/,
};
const WORDS = { 'es-MX': 'Saldo (MXN)', 'es-CO': 'Saldo (MXN)', 'en-US': 'Balance (MXN)' } as const;

describe.each(['es-MX', 'es-CO', 'en-US'] as const)('the CFO page in %s', (locale) => {
  test('tiles, axes and tooltips in its formats; tiles and charts agree for a mid-month as-of', async () => {
    const s = await signInAt(site, site.demo.users.cfo, locale);
    const { page } = s;
    expect(await page.inputValue('#locale')).toBe(locale);
    const built = await page.inputValue('#f-as_of');
    // The 15th of the month before the build's: the page shows the month-end before it, everywhere.
    const d = new Date(`${built}T00:00:00Z`);
    const mid = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
    const monthEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 0)).toISOString().slice(0, 10);
    await page.goto(`${site.server.url}/dashboards/cfo?as_of=${mid}&locale=${locale}`);
    await ready(page);
    expect(await page.inputValue('#f-as_of')).toBe(monthEnd);

    const query = `as_of=${monthEnd}&currency=MXN`;
    const [kpi] = await panelRows(page, 'kpis', query);
    const f = formatsFor(locale);
    const tile = (await page.textContent('#panel-kpis [data-kpi=ar_end] .value'))!;
    expect(tile).toBe(formatValue(f, kpi.open_ar, 'money-short', 'MXN'));
    expect(tile.replace(/[\u00a0\u202f]/g, ' ')).toMatch(SHORT[locale]);
    expect(await page.getAttribute('#panel-kpis [data-kpi=ar_end] .value', 'title')).toBe(f.money(String(kpi.open_ar), 'MXN'));
    // A percentage's change is in points, not in percent.
    expect(await page.textContent('#panel-kpis [data-kpi=overdue_pct] .change')).toMatch(locale === 'en-US' ? / pp$/ : / p\. p\.$/);

    // The aging chart's bars at that month-end add up to the tile.
    const aging = await panelRows(page, 'aging_by_month', query);
    const atMonthEnd = aging.filter((r) => String(r.month_end).slice(0, 10) === monthEnd).reduce((sum, r) => sum + Number(r.amount), 0);
    expect(atMonthEnd).toBeCloseTo(Number(kpi.open_ar), 0);

    // Money axes: the currency as title, the language's units, no SI suffixes ("0.8G").
    const axis = await page.$$eval('#panel-aging_by_month svg .role-axis text', (els) => els.map((e) => e.textContent ?? ''));
    expect(axis).toContain('MXN');
    expect(axis.map((t) => t.replace(/[\u00a0\u202f]/g, ' ')).filter((t) => AXIS[locale].test(t)).length).toBeGreaterThan(0);
    expect(axis.filter((t) => /\d[kMGTµ]$/.test(t))).toEqual([]);

    // A tooltip names its fields in the page's words and the money's currency.
    const bar = await page.$('#panel-aging_by_month svg .mark-rect path');
    await bar!.hover();
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5_000 });
    const tip = (await page.textContent('#vg-tooltip-element'))!;
    expect(tip).toContain(WORDS[locale]);
    expect(tip).not.toMatch(/bucket_|month_end|amount/);

    // A table's money column names its currency in the title; its cells do not say it again ("Saldo (MXN)", not "MXN 602.218.865,90").
    const [bucket] = await panelRows(page, 'provision_matrix', query);
    const exposure = (await page.$$eval('#panel-provision_matrix tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)))[1];
    expect(exposure).toBe(f.amount(String(bucket.exposure), 'MXN'));

    await page.screenshot({ path: `${SHOTS}/cfo-${locale}.png`, fullPage: true });
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});

describe('from a debtor to its statement', () => {
  test('the CFO finds a customer by part of its name, and opens a top debtor from the chart', async () => {
    const s = await signInAt(site, site.demo.users.cfo, 'es-MX');
    const { page } = s;
    const [top] = await panelRows(page, 'top_debtors', new URL(page.url()).searchParams.toString());
    const part = String(top.customer).slice(0, 6);
    await page.fill('#customer-search', part);
    await page.waitForSelector(`#search-results button[data-customer="${top.customer_id}"]`);
    await page.click(`#search-results button[data-customer="${top.customer_id}"]`);
    await page.waitForSelector('#drawer:not([hidden]) #drawer-statement a[data-statement=pdf]');
    expect(await page.textContent('#drawer h2')).toContain(String(top.customer));
    await page.click('#drawer-close');

    const bar = await page.$('#panel-top_debtors svg .mark-rect path');
    await bar!.click();
    await page.waitForSelector('#drawer:not([hidden]) #drawer-statement a[data-statement=pdf]');
    expect(await page.textContent('#drawer h2')).toContain(String(top.customer));
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});

describe('the cash forecast follows the page', () => {
  test('a segment narrows it and an earlier as-of moves its weeks, as every other panel', async () => {
    const s = await signInAt(site, site.demo.users.cfo, 'es-MX');
    const { page } = s;
    const weeks = () => page.$$eval('#panel-cash_forecast svg .role-axis-label text', (els) => els.map((e) => e.textContent));
    const total = async () => (await panelRows(page, 'cash_forecast', new URL(page.url()).searchParams.toString())).reduce((sum, r) => sum + Number(r.expected_amount), 0);
    const allWeeks = await weeks();
    const all = await total();
    expect(all).toBeGreaterThan(0);

    const segment = await page.$eval('#f-segment', (el) => (el as HTMLSelectElement).options[1].value);
    // The change handler marks the panels loading before it returns, so ready() waits for the new data.
    await page.selectOption('#f-segment', segment);
    await ready(page);
    const narrowed = await total();
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThan(all);

    const built = new URL(page.url()).searchParams.get('as_of')!;
    const d = new Date(`${built}T00:00:00Z`);
    const earlier = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 0)).toISOString().slice(0, 10);
    await page.goto(`${site.server.url}/dashboards/cfo?as_of=${earlier}`);
    await ready(page);
    expect(await weeks()).not.toEqual(allWeeks);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});
