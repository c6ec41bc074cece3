#!/usr/bin/env node
// How big is the HTML report and how fast does it open? 1) Runs the README's CNN quick start and a
// 24-trial sweep with --format json,html and prints each page's size and the time to render it
// from the JSON in Node. 2) Opens each page from disk in headless Chromium, interleaved with a
// copy whose trial sections lack `content-visibility: auto`, and prints the median time to the
// load event and to the first frame after it, and the ratio. Needs /usr/bin/chromium
// (apt-get install -y chromium). Not a test: it prints. Run under the bench lock:
//
//   npm run build && flock /tmp/inferbench-bench.lock node bench/html-report.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { renderHtml } from '../dist/report/html.js';

const rounds = Number(process.argv[2] ?? 7);
const CHROMIUM = process.env.INFERBENCH_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const dir = mkdtempSync(join(tmpdir(), 'inferbench-html-bench-'));

const RUNS = {
  'CNN quick start': ['profile', 'fixtures/cnn.onnx', '-n', '1000'],
  '24-trial sweep': ['profile', 'fixtures/mlp.onnx', '--batch', '1,2,4,8', '--precision', 'fp32,fp16,int8', '--threads', '1,2', '-n', '200', '--budget', 'p99<=2ms'],
};

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const pages = [];
for (const [name, args] of Object.entries(RUNS)) {
  const out = join(dir, name.replace(/\W+/g, '-'));
  const run = spawnSync(process.execPath, ['bin/inferbench', '--quiet', ...args, '--format', 'json,html', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Exit 1 is a violated budget, which the sweep is meant to show; anything else is a failure.
  if (run.status !== 0 && run.status !== 1) throw new Error(`inferbench ${args.join(' ')} exited ${run.status}`);
  const html = join(out, readdirSync(out).find((f) => f.endsWith('.html')));
  const report = JSON.parse(readFileSync(html.replace(/\.html$/, '.json'), 'utf8'));
  const t0 = performance.now();
  renderHtml(report);
  const renderMs = performance.now() - t0;
  // The same page without content-visibility on the trial sections, for the A/B below.
  const plain = html.replace(/\.html$/, '-plain.html');
  writeFileSync(plain, readFileSync(html, 'utf8').replace('section.trial { content-visibility: auto; contain-intrinsic-size: auto 1600px; }', ''));
  pages.push({ name, html, plain, bytes: readFileSync(html).length, trials: report.trials.length, renderMs });
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  const [load, frame] = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    resolve([nav.loadEventEnd - nav.startTime, performance.now()]);
  }))));
  await page.close();
  return { load, frame };
}

for (const p of pages) {
  const withCv = [];
  const without = [];
  await open(p.html); // warm the browser's caches once
  for (let r = 0; r < rounds; r += 1) {
    // Alternate which variant goes first, so drift hits both alike.
    const order = r % 2 === 0 ? [[p.html, withCv], [p.plain, without]] : [[p.plain, without], [p.html, withCv]];
    for (const [file, into] of order) into.push(await open(file));
  }
  const m = (xs, key) => median(xs.map((x) => x[key]));
  console.log(`${p.name}: ${p.trials} trials, ${(p.bytes / 1024).toFixed(1)} KiB HTML, rendered from JSON in ${p.renderMs.toFixed(0)} ms (Node)`);
  console.log(`  Chromium load event ${m(withCv, 'load').toFixed(0)} ms, first frame ${m(withCv, 'frame').toFixed(0)} ms (median of ${rounds})`);
  console.log(`  without content-visibility: load ${m(without, 'load').toFixed(0)} ms, first frame ${m(without, 'frame').toFixed(0)} ms; ratio with/without ${(m(withCv, 'frame') / m(without, 'frame')).toFixed(2)}`);
}
await browser.close();
