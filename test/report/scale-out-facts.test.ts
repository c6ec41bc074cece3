import { expect, test } from 'vitest';
import { renderConsole } from '../../src/report/console.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { scaleOutLines } from '../../src/report/scale-out-facts.js';
import { mergeModelReports } from '../../src/merge/merge-reports.js';
import { shardReport } from '../merge/reports.js';

test('a shard\'s report says which part of the plan it holds', () => {
  expect(scaleOutLines(shardReport(2, 3))).toEqual(["Shard 2/3: 3 of the plan's 10 trials; inferbench merge joins the 3 shards' reports."]);
});

test('a merged report says what it was made of, what is missing, and each trial\'s machine when mixed', () => {
  const other = shardReport(3, 3);
  const elsewhere = { ...other, environment: { ...other.environment, hostname: 'b', cpu: { ...other.environment.cpu, model: 'Xeon' } } };
  const { report } = mergeModelReports([{ report: shardReport(1, 3), source: 'a.json' }, { report: elsewhere, source: 'c.json' }], { allowMixedMachines: true });
  const lines = scaleOutLines(report);
  expect(lines.slice(0, 3)).toEqual([
    'Merged from 2 reports (shards 1/3, 3/3) on 2 machines: histograms added, percentiles from the merged histograms.',
    'Incomplete: 3 planned trials not measured (cpu fp32 batch=2 threads=1, cpu fp32 batch=16 threads=1, cpu int8 batch=4 threads=1), owed by shard 2/3 (no report).',
    'Mixed machines (--allow-mixed-machines): trials measured on different hardware or software are not comparable as one sweep.',
  ]);
  expect(lines).toContain('  cpu fp32 batch=4 threads=1: b (Xeon, 16 cores)');
  expect(renderConsole(report)).toContain('Incomplete: 3 planned trials not measured');
  expect(renderMarkdown(report)).toContain('- cpu fp32 batch=4 threads=1: b (Xeon, 16 cores)');
  expect(renderHtml(report)).toContain('<p class="sub">Incomplete: 3 planned trials not measured');
});
