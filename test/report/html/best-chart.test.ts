// The HTML report's charts read in a real browser agree with its own table (issue 24): on a
// constructed sweep whose sequential and paired figures disagree, headless Chromium reads each
// point's position off the accuracy chart and the throughput chart, turns it back into a value
// through the axis ticks drawn on the page, and compares it — and the error bars — with the
// sweep table's speed-up and throughput cells on the same page. Skipped without Chromium (see
// browser.test.ts).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseObjective } from '../../../src/budget/best.js';
import { parseBudget } from '../../../src/budget/budget.js';
import { renderHtml } from '../../../src/report/html.js';
import { judgeSweep } from '../../../src/sweep/judge-sweep.js';
import type { AccuracyVsFp32, Report } from '../../../src/types.js';
import { disagreeingReport } from '../../budget/disagree-report.js';

const CHROMIUM = process.env.INFERBENCH_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const accuracy = (meanRelativeError: number): AccuracyVsFp32 => ({
  overall: { maxAbsError: 0.1, meanRelativeError, cosineSimilarity: 0.9998, top1Agreement: 1 },
  outputs: [], inputSets: 4, inputSource: 'synthetic', identical: false,
});

function report(): Report {
  const r = disagreeingReport();
  r.trials = r.trials.map((t, i) => (t.status === 'ok' && t.spec.precision !== 'fp32' ? { ...t, accuracy: accuracy(0.01 * i) } : t));
  // fp32 references for batch 4 and 16 (the accuracy chart pairs each variant with its own fp32).
  const fp32 = r.trials[0]!;
  if (fp32.status === 'ok') {
    for (const [batch, ratio] of [[4, 1.21], [16, 1.3]] as const) {
      r.trials.push({ ...fp32, spec: { ...fp32.spec, batch, id: `cpu fp32 batch=${batch} threads=1` }, throughput: { ...fp32.throughput, itemsPerSec: fp32.throughput.itemsPerSec * ratio }, pairedSpeedUp: { vsTrial: fp32.spec.id, ratio, ci: [ratio - 0.05, ratio + 0.05], level: 0.95, blocks: 40, iterationsPerBlock: 20, durationMs: 1500 } });
    }
  }
  return judgeSweep(r, [parseBudget('p99<=10ms')], parseObjective('throughput'));
}

interface Read {
  table: { header: string[]; rows: string[][] };
  points: Record<string, { trial: string; value: number; lo: number | null; hi: number | null }[]>;
  knee: string | null;
  best: string;
}

describe.skipIf(!HAVE_CHROMIUM)('charts read in Chromium match the table', () => {
  let browser: Browser;
  let read: Read;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const file = join(mkdtempSync(join(tmpdir(), 'inferbench-best-')), 'sweep.html');
    writeFileSync(file, renderHtml(report()));
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    await page.goto(`file://${file}`);
    read = await page.evaluate(() => {
      const num = (s: string): number => Number(s.replace(/[×,\s]|items\/s/g, ''));
      // Pixel → value through two of the axis's own tick labels (linear axes).
      const axisMap = (fig: Element, axis: 'x' | 'y'): ((p: number) => number) => {
        const ticks = [...fig.querySelectorAll(`g.axis.${axis} text.tick`)].map((t) => ({ at: Number(t.getAttribute(axis)) - (axis === 'y' ? 4 : 0), v: num(t.textContent ?? '') }));
        const a = ticks[0]!;
        const b = ticks[ticks.length - 1]!;
        return (p) => a.v + ((p - a.at) * (b.v - a.v)) / (b.at - a.at);
      };
      const points: Read['points'] = {};
      for (const kind of ['accuracy', 'sweep-throughput']) {
        const fig = document.querySelector(`figure[data-chart="${kind}"]`)!;
        const axis = kind === 'accuracy' ? 'x' : 'y';
        const map = axisMap(fig, axis);
        const toUser = (el: Element): number => {
          const box = (el as SVGGraphicsElement).getBBox();
          return axis === 'x' ? box.x + box.width / 2 : box.y + box.height / 2;
        };
        points[kind] = [...fig.querySelectorAll('g.point')].map((g) => {
          const mark = g.querySelector('.mark')!;
          const bar = g.querySelector('g.errbar > line');
          const ends = bar ? [Number(bar.getAttribute(`${axis}1`)), Number(bar.getAttribute(`${axis}2`))].map(map).sort((p, q) => p - q) : [null, null];
          return { trial: g.getAttribute('data-trial') ?? '', value: map(toUser(mark)), lo: ends[0] ?? null, hi: ends[1] ?? null };
        });
      }
      const tableEl = document.querySelector('section#sweep table')!;
      const header = [...tableEl.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
      const rows = [...tableEl.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
      return {
        table: { header, rows },
        points,
        knee: document.querySelector('figure[data-chart="sweep-throughput"] circle.knee')?.getAttribute('data-trial') ?? null,
        best: document.querySelector('#best')?.textContent ?? '',
      };
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The table row of a trial id "cpu int8-static batch=4 threads=1". */
  const row = (id: string): Record<string, string> => {
    const [, precision, batch] = /cpu (\S+) batch=(\d+)/.exec(id)!;
    const { header, rows } = read.table;
    const r = rows.find((cells) => cells[header.indexOf('precision')] === precision && cells[header.indexOf('batch')] === batch)!;
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
  };
  /** "1.70× ±3.5%" → [1.70, 0.035]. */
  const cell = (text: string): [number, number] => {
    const m = /^([\d.,]+)(?:×| items\/s)(?: ±([\d.]+)%)?/.exec(text)!;
    return [Number(m[1]!.replace(/,/g, '')), m[2] === undefined ? 0 : Number(m[2]) / 100];
  };

  test('each accuracy point sits at the table\'s speed-up, its bar spans the interval', () => {
    const pts = read.points.accuracy!;
    expect(pts.length).toBe(3);
    for (const p of pts) {
      const [ratio, half] = cell(row(p.trial)['speed-up']!);
      expect(p.value).toBeCloseTo(ratio, 1);
      expect(Math.abs(p.value - ratio) / ratio).toBeLessThan(0.01);
      expect(((p.hi! - p.lo!) / 2) / ratio).toBeCloseTo(half, 2);
    }
    // int8-static batch 1 is right of "as fast as the baseline" (1.70×), not left of it (0.79×, its sequential ratio).
    expect(pts.find((p) => p.trial.includes('int8-static batch=1'))!.value).toBeGreaterThan(1.6);
  });

  test('each throughput point sits at the table\'s items/s, its bar spans the interval', () => {
    const pts = read.points['sweep-throughput']!;
    expect(pts.length).toBe(6);
    for (const p of pts) {
      const [items, half] = cell(row(p.trial)['throughput (seq.)']!);
      expect(Math.abs(p.value - items) / items).toBeLessThan(0.01);
      expect(((p.hi! - p.lo!) / 2) / items).toBeCloseTo(half, 2);
    }
  });

  test('the ringed best point is the best line\'s trial, chosen on the paired speed-up', () => {
    expect(read.best).toContain('best within budget (throughput, paired speed-up): cpu int8-static batch=4 threads=1');
    expect(read.knee).toBe('cpu int8-static batch=4 threads=1');
  });
});
