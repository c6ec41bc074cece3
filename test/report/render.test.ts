import { describe, expect, test } from 'vitest';
import { InferbenchError } from '../../src/errors.js';
import { renderConsole } from '../../src/report/console.js';
import { exporterFor, exporters } from '../../src/report/exporters.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sampleReport } from '../helpers/sample-report.js';

const ESC = '\x1b[';

describe('markdown', () => {
  const markdown = renderMarkdown(sampleReport());

  test('has a title with the model and date, and the environment', () => {
    expect(markdown).toMatch(/^# inferbench: resnet\\_tiny\.onnx — 2025-01-31 14:05:09 UTC\n/);
    expect(markdown).toContain('- **CPU:** AMD EPYC 7B13 (8 cores, 16 threads, 2.45 GHz)');
    expect(markdown).toContain('- **GPU:** nvidia-smi not found');
    expect(markdown).toContain('| logits | float32 | [batch, ?] |');
  });

  test('has the stage table with every timed stage and flags insufficient percentiles', () => {
    expect(markdown).toContain('| stage | p50 | p90 | p95 | p99 | p99.9 | mean | stddev | min | max | n |');
    for (const stage of ['preprocess', 'inference', 'postprocess', 'total']) {
      expect(markdown).toMatch(new RegExp(`^\\| ${stage} \\| [^|]+ µs|ms \\|`, 'm'));
    }
    const inferenceRow = markdown.split('\n').find((line) => line.startsWith('| inference |')) ?? '';
    const cells = inferenceRow.split(' | ');
    expect(cells[1]).not.toContain('\\*'); // p50 is trusted
    expect(cells[4]).toMatch(/ms\\\*$/); // p99 is flagged
    expect(markdown).toContain('\\* fewer than 662 samples: p99 is not trustworthy; run more iterations (-n)');
  });

  test('shows throughput, warm-up, stop reason and warnings', () => {
    expect(markdown).toContain('270 inf/s, 270 items/s');
    expect(markdown).toContain('converged at iteration 12');
    expect(markdown).toContain('stopped: reached the requested 500 iterations (-n)');
    expect(markdown).toContain('`few-samples`');
  });

  test('shows failure and skip reasons', () => {
    expect(markdown).toContain('**Failed during open:** `runtime-error`: Could not find an implementation');
    expect(markdown).toContain('**Hint:** fp16 needs a device with fp16 kernels');
    expect(markdown).toContain('**Skipped:** device cuda unavailable');
  });

  test('shows the interrupted banner only when interrupted', () => {
    expect(markdown).not.toContain('Interrupted');
    expect(renderMarkdown(sampleReport({ interrupted: true }))).toContain('Interrupted: the run was stopped');
  });
});

describe('console', () => {
  test('without colour has no escape codes', () => {
    const text = renderConsole(sampleReport({ interrupted: true }), { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain('inference');
    expect(text).toContain('failed during open: [runtime-error]');
    expect(text).toContain('skipped: device cuda unavailable');
    expect(text).toMatch(/10\.\d ms\*/);
  });

  test('with colour has some', () => {
    expect(renderConsole(sampleReport(), { color: true })).toContain(ESC);
  });

  test('defaults to no colour', () => {
    expect(exporterFor('console').render(sampleReport())).not.toContain(ESC);
  });
});

describe('exporter registry', () => {
  test('finds exporters by format and by extension', () => {
    expect(exporters.map((e) => e.format)).toEqual(['console', 'json', 'markdown', 'csv', 'html']);
    expect(exporterFor('markdown').extension).toBe('md');
    expect(exporterFor('md').format).toBe('markdown');
    expect(exporterFor('JSON').format).toBe('json');
  });

  test('throws a usage error listing the formats for an unknown one', () => {
    try {
      exporterFor('pdf');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InferbenchError);
      const e = error as InferbenchError;
      expect(e.code).toBe('usage');
      expect(e.message).toContain("'pdf'");
      expect(e.hint).toBe('use one of: console, json, md, csv, html (comma-separated)'); // the names --help shows
    }
  });
});

describe('Markdown for $GITHUB_STEP_SUMMARY', () => {
  test('results first: trials before the environment, which is folded in <details>', () => {
    const text = renderMarkdown(sampleReport());
    expect(text.indexOf('## Trials')).toBeLessThan(text.indexOf('## Environment'));
    expect(text.indexOf('<details><summary>Environment and model</summary>')).toBeLessThan(text.indexOf('## Environment'));
    expect(text).toContain('<details><summary>Details: cold start');
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length);
  });
});
