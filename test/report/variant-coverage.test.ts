// What a variant changed and what its drift rests on, as the exporters show it (issue 16): the
// sweep table's `converted` column, `identical` instead of a perfect cosine, and the trial facts.
import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sweepTable } from '../../src/report/sweep-table.js';
import { validateReport } from '../../src/report/validate.js';
import type { AccuracyVsFp32, Report, TrialOk } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';

const metrics = { maxAbsError: 0, meanRelativeError: 0, cosineSimilarity: 1, top1Agreement: 1 };

function withVariant(accuracy: AccuracyVsFp32): Report {
  const report = sampleReport();
  const [fp32] = report.trials as TrialOk[];
  const int8: TrialOk = {
    ...fp32!,
    spec: { ...fp32!.spec, id: 'cpu int8 batch=1 threads=1', precision: 'int8' },
    variant: {
      path: '/cache/x-int8.onnx', source: 'generated', provenance: { from: 'ab', method: 'int8-dynamic-v2: ...', toolVersion: '0.1.0' },
      coverage: { ops: [{ opType: 'Conv', eligible: 2, converted: 2 }, { opType: 'MatMul', eligible: 2, converted: 1 }], weightBytes: { before: 7144, after: 3082 }, computeWeightShare: 0.9, foldedConstants: 8 },
    },
    accuracy,
  };
  report.trials = [fp32!, int8];
  return report;
}

describe('variant coverage in the exporters', () => {
  test('the sweep table says how many nodes were converted, and "identical" for an unchanged variant', () => {
    const identical = withVariant({ overall: metrics, outputs: [], inputSets: 8, inputSource: 'synthetic inputs, seeds 42..49', identical: true });
    expect(validateReport(identical)).toEqual({ valid: true });
    const table = sweepTable(identical)!;
    const row = table.rows[1]!;
    expect(row[table.header.indexOf('converted')]).toBe('3/4 ops');
    expect(row[table.header.indexOf('cosine')]).toBe('identical');
    expect(table.rows[0]![table.header.indexOf('converted')]).toBe('');
  });

  test('Markdown lists per-op coverage, weight bytes, folded constants and the input sets behind the drift', () => {
    const drift = { ...metrics, maxAbsError: 0.01, cosineSimilarity: 0.9999 };
    const md = renderMarkdown(withVariant({ overall: drift, outputs: [], inputSets: 8, inputSource: 'synthetic inputs, seeds 42..49', identical: false }));
    expect(md).toContain('Conv 2/2, MatMul 1/2; weights 6.98 KiB → 3.01 KiB; 90% of the MatMul/Gemm/Conv weights; 8 Constant/Identity/Cast weights folded first');
    expect(md).toContain('over 8 input sets (synthetic inputs, seeds 42..49)');
    expect(md).toContain('| 0.99990 |');
  });
});
