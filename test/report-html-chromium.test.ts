/**
 * Renders the HTML report in headless Chromium (Debian's /usr/bin/chromium
 * through playwright-core; never a downloaded browser): it must load with no
 * console error and no network request, draw a chart per scenario, and it is
 * saved as a screenshot to test/output/ for people to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../lib/report/html.js';
import { optionalPeer } from './fixtures/optional-peers.js';
import { fullDocument, jitter, makeBenchmark, makeDocument } from './fixtures/results.js';

const CHROMIUM = '/usr/bin/chromium';
// One skip line when Chromium is missing; a failure instead under POOLSCOPE_REQUIRE_PEERS=1.
const haveChromium = optionalPeer('chromium', existsSync(CHROMIUM), 'apt-get install chromium');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const outDir = join(import.meta.dirname, 'output');

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    mkdirSync(outDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function load(html: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  it('loads with no console errors and no network requests, with a chart per scenario', async () => {
    const doc = fullDocument();
    const { page, errors, requests } = await load(renderHtml(doc));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const scenarios = [...new Set(doc.benchmarks.map((b) => b.params.scenario))];
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => ({ scenario: s.getAttribute('data-scenario'), bars: s.querySelectorAll('rect').length })),
    );
    expect(charts.map((c) => c.scenario)).toEqual(scenarios);
    for (const s of scenarios) {
      const bars = charts.find((c) => c.scenario === s)?.bars;
      expect(bars).toBe(doc.benchmarks.filter((b) => b.params.scenario === s).length);
    }
    const text = await page.textContent('body');
    expect(text).toContain('AMD EPYC 7B13 (synthetic)');
    expect(text).toContain('not-supported');
    expect(text).toContain('packed layout: 38× slower than pad64 at 2 threads, 64 B, xadd publish — false sharing');
    expect(await page.$$eval('table tbody tr', (rows) => rows.length)).toBe(doc.events.length + doc.benchmarks.length);
    // findings grouped by scenario; what the data does not support is folded, not dropped
    expect(await page.$$eval('details summary', (s) => s.map((x) => x.textContent))).toEqual(['1 not significant']);
    expect(await page.textContent('details')).toContain(
      'pad128 vs pad64 layout at 2 threads, 64 B, xadd publish in false-sharing',
    );
    // the false-sharing values span 38×: a log axis
    expect(await page.textContent('svg.chart[data-scenario="false-sharing"]')).toContain('log scale');
    await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
    await page.close();
  });

  it('escapes names: a benchmark name with markup stays text', async () => {
    const doc = makeDocument([
      makeBenchmark({ scenario: '<script>alert(1)</script>', pool: 'sync' }, jitter(5, 6, 1), {}, ['pool']),
    ]);
    const { page, errors } = await load(renderHtml(doc));
    expect(errors).toEqual([]);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))).toContain('<script>alert(1)</script>');
    await page.close();
  });
});
