import { beforeAll, describe, expect, test } from 'vitest';
import { parseBudgets } from '../../src/budget/budget.js';
import { compareExporterFor } from '../../src/compare/exporter.js';
import { renderCompareConsole } from '../../src/compare/render-console.js';
import { githubBenchmarkEntries, renderGithubBenchmark } from '../../src/compare/render-github-benchmark.js';
import { COMPARE_JSON_FORMAT, renderCompareJson } from '../../src/compare/render-json.js';
import { renderCompareMarkdown } from '../../src/compare/render-markdown.js';
import { compareReports, type Comparison } from '../../src/compare/verdict.js';
import { okTrial, reportOf } from './reports.js';

let slow: Comparison;
beforeAll(() => {
  const base = reportOf([okTrial({ inferenceUs: 600, seed: 1, repetitions: 5 })]);
  const head = reportOf([okTrial({ inferenceUs: 660, seed: 2, repetitions: 5 }), okTrial({ inferenceUs: 600, seed: 3, spec: { batch: 8 } })]);
  head.environment = { ...head.environment, cpu: { ...head.environment.cpu, model: 'Intel Xeon' } };
  slow = compareReports(base, head, { budgets: parseBudgets(['inference.p99<=1ms', 'throughput>=100/s']), labels: { base: 'base.json', head: 'head.json' } });
});

describe('console', () => {
  test('headline, caveats, the table and budgets, without escape codes when colour is off', () => {
    const text = renderCompareConsole(slow, { color: false });
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(/^regressed: 1 of 1 trials regressed; \d+ metrics inconclusive; 2 of 4 budget checks failed/m);
    expect(text).toContain('repetitions: base 5 (inference p50 ');
    expect(text).toContain('note: No CPU samples in base and head');
    expect(text).toContain('warning: Different machines: CPU AMD EPYC 7B13');
    expect(text).toContain('Only in head (not compared): resnet_tiny.onnx cpu fp32 batch=8');
    expect(text).toMatch(/│ inference\s+│ p50\s+│\s+6\d\d µs │\s+6\d\d µs │\s+\+\d+(\.\d)?% │/);
    expect(text).toContain('inference.p99 <= 1.00 ms');
    expect(text).toContain('FAIL');
  });

  test('colour on: the regression is painted', () => {
    expect(renderCompareConsole(slow, { color: true })).toContain('\x1b[');
  });
});

describe('markdown', () => {
  test('a heading with the verdict, a summary table, details per trial, budgets', () => {
    const md = renderCompareMarkdown(slow);
    expect(md).toMatch(/^## 🔴 inferbench compare: regressed\n/);
    expect(md).toContain('> ⚠️ Different machines');
    expect(md).toContain('| trial | verdict | inference p50 | total p99 | throughput |');
    expect(md).toContain('<details>');
    expect(md).toMatch(/\| inference \| p50 \| 6\d\d µs \| 6\d\d µs \|/);
    expect(md).toContain('### Budgets (head)');
    expect(md).toContain('❌ fail');
    expect(md).toContain('> ℹ️ No CPU samples in base and head');
    expect(md).toMatch(/<sub>Method: 95% percentile-bootstrap CI .* Mann–Whitney/);
  });
});

describe('json', () => {
  test('the Comparison object under a format tag', () => {
    const data = JSON.parse(renderCompareJson(slow)) as Comparison & { format: string };
    expect(data.format).toBe(COMPARE_JSON_FORMAT);
    expect(data.exitCode).toBe(1);
    expect(data.trials[0]?.stages.map((s) => s.stage)).toEqual(['preprocess', 'inference', 'postprocess', 'total']);
    expect(data.matching.headOnly).toHaveLength(1);
  });
});

describe('github-action-benchmark', () => {
  test('customSmallerIsBetter: latencies of inference and total, {name, unit, value, extra}', () => {
    const entries = JSON.parse(renderGithubBenchmark(slow, 'smaller')) as Record<string, unknown>[];
    expect(entries).toHaveLength(8);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(['extra', 'name', 'unit', 'value']);
      expect(entry.unit).toBe('ms');
      expect(typeof entry.value).toBe('number');
      expect(typeof entry.name).toBe('string');
      expect(typeof entry.extra).toBe('string');
    }
    expect(entries[0]?.name).toBe('resnet_tiny.onnx cpu fp32 batch=1 threads=4 opt=all inference p50');
    expect(entries[0]?.extra).toMatch(/^vs base 6\d\d µs: \+\d/);
  });

  test('customBiggerIsBetter: throughput per trial in inf/s', () => {
    const entries = githubBenchmarkEntries(slow, 'bigger');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ unit: 'inf/s', name: expect.stringMatching(/ throughput$/) });
  });

  test('format names and aliases', () => {
    expect(compareExporterFor('customSmallerIsBetter').format).toBe('github-benchmark');
    expect(compareExporterFor('markdown').format).toBe('md');
    expect(compareExporterFor('html').format).toBe('html');
    expect(() => compareExporterFor('pdf')).toThrow(/unknown compare format 'pdf'/);
  });
});
