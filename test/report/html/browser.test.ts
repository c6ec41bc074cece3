// The HTML report in a real browser: headless Chromium (Debian's `chromium` package, driven by
// playwright-core — whose own browser download cannot reach the internet here) opens the pages
// `inferbench` writes for a single trial, a sweep and a comparison, from disk. Each page must log
// no console error, make no request besides its own file, draw every expected chart with a real
// size, and keep hostile names as text. Screenshots land in test-output/html/ (gitignored).
// Without /usr/bin/chromium (or $INFERBENCH_CHROMIUM) the tests are skipped with a message:
// install it with `apt-get install -y chromium` (.ci/run does when it can).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOSTILE_FILE, HOSTILE_INPUT, writeHostileModel } from '../../helpers/hostile-model.js';

const CHROMIUM = process.env.INFERBENCH_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`SKIPPED: HTML report browser tests — no Chromium at ${CHROMIUM}; install it with: apt-get install -y chromium`);

/** Flags that keep Chromium from phoning home, so any request the tests see is the page's own. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = join(process.cwd(), 'test-output', 'html');
const BIN = join(process.cwd(), 'bin', 'inferbench');
const run = promisify(execFile);

async function inferbench(args: string[]): Promise<void> {
  await run(process.execPath, [BIN, '--quiet', ...args]).catch((error: { code?: number; stderr?: string }) => {
    // compare exits 1 on a regression, which is what the comparison page is meant to show.
    if (error.code !== 1) throw new Error(`inferbench ${args.join(' ')} failed: ${error.stderr ?? String(error)}`);
  });
}

const onlyFile = (dir: string, ext: string): string => join(dir, readdirSync(dir).find((f) => f.endsWith(ext))!);

interface Visit {
  errors: string[];
  requests: string[];
  charts: { kind: string; empty: boolean; width: number; height: number; marks: number }[];
  text: string;
  elements: { scripts: number; images: number };
  renderMs: number;
}

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  let browser: Browser;
  const pages: Record<'single' | 'sweep' | 'compare' | 'rerendered' | 'service', string> = { single: '', sweep: '', compare: '', rerendered: '', service: '' };

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(OUT, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'inferbench-html-'));
    const model = writeHostileModel(dir);
    await Promise.all([
      inferbench(['profile', model, '-n', '300', '-w', '20', '--batch', '2', '--op-profile', '--sample-interval', '20', '--format', 'json,html', '-o', join(dir, 'single')]),
      inferbench(['profile', 'fixtures/mlp.onnx', '--batch', '1,8', '--precision', 'fp32,int8', '-n', '100', '-w', '10', '-t', '1', '--budget', 'p99<=50ms', '--format', 'html', '-o', join(dir, 'sweep')]),
      inferbench(['compare', 'test/data/compare/cnn-t1-a.json', 'test/data/compare/cnn-slow-t1.json', '--format', 'json', '-o', join(dir, 'compare.json')]),
      inferbench(['profile', 'fixtures/mlp.onnx', '--rate', '150,300', '-n', '300', '-w', '10', '-t', '1', '--no-op-profile', '--no-sample', '--format', 'html', '-o', join(dir, 'service')]),
    ]);
    pages.service = onlyFile(join(dir, 'service'), '.html');
    pages.single = onlyFile(join(dir, 'single'), '.html');
    pages.sweep = onlyFile(join(dir, 'sweep'), '.html');
    // Rendered after the fact, as CI would: a saved comparison and a saved report.
    pages.compare = join(dir, 'compare.html');
    pages.rerendered = join(dir, 'rerendered.html');
    await inferbench(['report', join(dir, 'compare.json'), '-o', pages.compare]);
    await inferbench(['report', onlyFile(join(dir, 'single'), '.json'), '--format', 'html', '-o', pages.rerendered]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function visit(file: string, shot: string, options: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark' } = {}): Promise<Visit> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true, colorScheme: options.colorScheme ?? 'light' });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = `file://${file}`;
    await page.goto(url, { waitUntil: 'load' });
    const result = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return {
        renderMs: nav.loadEventEnd - nav.startTime,
        text: document.body.innerText,
        elements: { scripts: document.querySelectorAll('script').length, images: document.querySelectorAll('img').length },
        charts: [...document.querySelectorAll('figure.chart')].map((f) => {
          const svg = f.querySelector('svg.plot')?.getBoundingClientRect();
          const marks = [...f.querySelectorAll('g.body path, g.body rect, g.body circle, g.body polygon, g.body line')].filter((e) => {
            const box = (e as SVGGraphicsElement).getBBox();
            return box.width > 0 || box.height > 0;
          }).length;
          return { kind: (f as HTMLElement).dataset.chart ?? '', empty: (f as HTMLElement).dataset.empty === 'true', width: svg?.width ?? 0, height: svg?.height ?? 0, marks };
        }),
      };
    });
    await page.screenshot({ path: join(OUT, shot), fullPage: shot.endsWith('full.png') });
    await context.close();
    return { ...result, errors, requests: requests.filter((r) => r !== url) };
  }

  function expectCharts(v: Visit, kinds: string[]): void {
    expect(v.errors).toEqual([]);
    expect(v.requests).toEqual([]);
    for (const kind of kinds) {
      const chart = v.charts.find((c) => c.kind === kind && !c.empty);
      expect(chart, `chart ${kind}`).toBeDefined();
      expect(chart!.width).toBeGreaterThan(300);
      expect(chart!.height).toBeGreaterThan(50);
      expect(chart!.marks, `drawn marks in ${kind}`).toBeGreaterThan(0);
    }
  }

  test('single trial of a model with a hostile name: every trial chart, names shown as text', async () => {
    const v = await visit(pages.single, 'single-full.png');
    expectCharts(v, ['percentiles', 'latency', 'timeline', 'stages', 'op-profile', 'roofline']);
    expect(v.elements).toEqual({ scripts: 0, images: 0 });
    expect(v.text).toContain(HOSTILE_FILE);
    expect(v.text).toContain(HOSTILE_INPUT);
    console.info(`single trial: ${readFileSync(pages.single).length} bytes, load event after ${v.renderMs.toFixed(0)} ms`);
  });

  test('the same report rendered after the fact by `inferbench report` is the same page', () => {
    expect(readFileSync(pages.rerendered, 'utf8')).toBe(readFileSync(pages.single, 'utf8'));
  });

  test('JavaScript off and dark mode: the numbers and charts are all there', async () => {
    const v = await visit(pages.single, 'single-dark-nojs.png', { javaScriptEnabled: false, colorScheme: 'dark' });
    expectCharts(v, ['percentiles', 'timeline', 'stages']);
    expect(v.text).toMatch(/inference\s+[\d.]+ (µs|ms)/);
  });

  test('sweep: latency and throughput curves, accuracy against speed-up, stages, timeline', async () => {
    const v = await visit(pages.sweep, 'sweep-full.png');
    expectCharts(v, ['sweep-latency', 'sweep-throughput', 'accuracy', 'stages', 'timeline']);
    expect(v.text).toContain('best within budget');
    console.info(`sweep: ${readFileSync(pages.sweep).length} bytes, load event after ${v.renderMs.toFixed(0)} ms`);
  });

  test('open-loop load: the latency against offered rate chart and the curve table', async () => {
    const v = await visit(pages.service, 'service-full.png');
    expectCharts(v, ['service-curve']);
    expect(v.text).toContain('Latency–throughput curve');
  });

  test('comparison: an interval chart per trial, the verdict in words', async () => {
    const v = await visit(pages.compare, 'compare-full.png');
    expectCharts(v, ['compare']);
    expect(v.text).toContain('▲ regressed');
  });
});
