// The --serve picture in a real browser (headless Debian chromium via playwright-core, as
// browser.test.ts): `inferbench profile fixtures/mlp.onnx --serve` writes JSON and HTML; the page
// must draw one stacked bar chart, a bar per protocol, with a real size, log no error, request nothing,
// and every segment it draws must carry the report's own number (data-ms against the JSON's
// servingOverhead segments), in the report's order from the base. Skipped without Chromium.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Report } from '../../../src/types.js';

const CHROMIUM = process.env.INFERBENCH_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`SKIPPED: --serve chart browser test — no Chromium at ${CHROMIUM}; install it with: apt-get install -y chromium`);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = join(process.cwd(), 'test-output', 'html');

interface Drawn {
  protocol: string;
  trial: string;
  segments: { key: string; ms: string; width: number }[];
}

describe.skipIf(!HAVE_CHROMIUM)('--serve: the stacked picture in headless Chromium', () => {
  let browser: Browser;
  let report: Report;
  let page: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-serve-html-'));
    await promisify(execFile)(process.execPath, [join(process.cwd(), 'bin', 'inferbench'), '--quiet', 'profile', 'fixtures/mlp.onnx', '--serve', '-n', '40', '-w', '5', '-t', '1', '--no-sample', '--no-op-profile', '--no-paired-speedup', '--format', 'json,html', '-o', dir]);
    const file = (ext: string): string => join(dir, readdirSync(dir).find((f) => f.endsWith(ext))!);
    report = JSON.parse(readFileSync(file('.json'), 'utf8')) as Report;
    page = file('.html');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(OUT, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('one chart, a bar per protocol, and the segments drawn are the report\'s numbers', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const tab = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(`file://${page}`, { waitUntil: 'load' });
    const charts = await tab.evaluate(() => [...document.querySelectorAll('figure.chart[data-chart="serving"]')].map((f) => ({
      width: f.querySelector('svg.plot')!.getBoundingClientRect().width,
      bars: [...f.querySelectorAll('g.served')].map((g) => ({
        protocol: (g as SVGGElement).dataset.protocol ?? '',
        trial: (g as SVGGElement).dataset.trial ?? '',
        segments: [...g.querySelectorAll('rect.bar')].map((r) => ({ key: (r as SVGRectElement).dataset.segment ?? '', ms: (r as SVGRectElement).dataset.ms ?? '', width: (r as SVGRectElement).getBBox().width })),
      })),
    })));
    await tab.locator('#serving').screenshot({ path: join(OUT, 'serving.png') });
    await context.close();
    expect(errors).toEqual([]);
    expect(requests.filter((r) => r !== `file://${page}`)).toEqual([]);

    const rows = report.servingOverhead!.rows;
    expect(charts).toHaveLength(1);
    const drawn: Drawn[] = charts.flatMap((c) => c.bars);
    expect(drawn.map((d) => d.protocol)).toEqual(rows.map((r) => r.protocol));
    for (const chart of charts) expect(chart.width).toBeGreaterThan(300);
    drawn.forEach((bar, i) => {
      const row = rows[i]!;
      expect(bar.trial).toBe(row.inProcessTrialId);
      // Base first, in the report's order; each value as the JSON has it.
      expect(bar.segments.map((s) => s.key)).toEqual(['inferenceMs', 'serializeMs', 'transportMs', 'queueMs', 'deserializeMs']);
      for (const segment of bar.segments) {
        const value = row.segments![segment.key as keyof typeof row.segments];
        expect(segment.ms).toBe(value === null ? 'null' : String(value));
      }
      // The base (the model in process) is really drawn.
      expect(bar.segments[0]!.width).toBeGreaterThan(0);
    });
  }, 60_000);
});
