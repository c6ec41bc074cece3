import { describe, expect, test } from 'vitest';
import {
  formatByteRate,
  formatCompactShape,
  formatEvidenceValue,
  formatPct,
  formatQuantity,
  formatSI,
} from '../../src/report/format.js';
import { calibrationNote, costLine, providersLine } from '../../src/report/analysis-sections.js';
import { formatTensorShapes, nodeRows, nodesCutNote, opTypeRows } from '../../src/report/op-profile-section.js';
import { utilisationGroupLine, utilisationRows, utilisationSection } from '../../src/report/utilisation-section.js';
import type { TrialOk } from '../../src/types.js';
import { cnnAnalysis, analysedReport, okTrialOf } from './analysis-fixture.js';

describe('analysis quantities', () => {
  test('evidence values get the digits their unit deserves', () => {
    expect(formatEvidenceValue(0.9081167, 'fraction')).toBe('91%');
    expect(formatEvidenceValue(0.0054987, 'fraction')).toBe('0.5%');
    expect(formatEvidenceValue(94.2058, '%')).toBe('94%');
    expect(formatEvidenceValue(181.6233, '% of one core')).toBe('182% of one core');
    expect(formatEvidenceValue(189_419.5, 'B/s')).toBe('185 KiB/s');
    expect(formatEvidenceValue(189_419.5, 'bytes/s')).toBe('185 KiB/s');
    expect(formatEvidenceValue(7.0918, 'GB/s')).toBe('7.09 GB/s');
    expect(formatEvidenceValue(190.79, 'GFLOP/s')).toBe('191 GFLOP/s');
    expect(formatEvidenceValue(26.903, 'FLOP/byte')).toBe('26.9 FLOP/byte');
    expect(formatEvidenceValue(2, 'threads')).toBe('2 threads');
    expect(formatEvidenceValue(1.86756, 'cores')).toBe('1.87 cores');
  });

  test('SI prefixes for FLOPs and bytes, binary for byte rates', () => {
    expect(formatSI(63_915_264, 'FLOP')).toBe('63.9 MFLOP');
    expect(formatSI(2_375_760, 'B')).toBe('2.38 MB');
    expect(formatSI(999_600, 'B')).toBe('1.00 MB');
    expect(formatSI(512, 'FLOP')).toBe('512 FLOP');
    expect(formatSI(4.1e12, 'FLOP')).toBe('4.10 TFLOP');
    expect(formatByteRate(0)).toBe('0 B/s');
    expect(formatPct(93.378)).toBe('93%');
    expect(formatQuantity(13.2964, '')).toBe('13.3');
    expect(formatQuantity(1410, 'MHz')).toBe('1,410 MHz');
    expect(formatCompactShape('float', [1, 3, 64, 64])).toBe('float[1,3,64,64]');
  });
});

describe('section builders', () => {
  const trial = okTrialOf(analysedReport());

  test('providers line lists most nodes first', () => {
    expect(providersLine({ CPUExecutionProvider: 9 })).toBe('nodes per provider: CPUExecutionProvider 9');
    expect(providersLine({ CPUExecutionProvider: 4, CUDAExecutionProvider: 120 })).toBe(
      'nodes per provider: CUDAExecutionProvider 120, CPUExecutionProvider 4',
    );
  });

  test('cost and roofline in one line', () => {
    expect(costLine(trial)).toBe(
      '63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte; achieved 191 GFLOP/s, 7.09 GB/s; ' +
        'machine peak 70.4 GFLOP/s, 5.29 GB/s (balance 13.3): compute-bound side, 271% of the roof',
    );
    const { roofline: _roofline, ...costOnly } = trial;
    expect(costLine(costOnly as TrialOk)).toBe('63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte');
    const { cost: _cost, ...neither } = costOnly as TrialOk;
    expect(costLine(neither as TrialOk)).toBeUndefined();
  });

  test('the calibration note appears only above 110% of the roof', () => {
    expect(calibrationNote(trial)).toContain('271% of the calibrated roof, so the calibration looks low');
    const roofline = { ...cnnAnalysis().roofline, fractionOfPeak: 1.05 };
    expect(calibrationNote({ ...trial, roofline })).toBeUndefined();
    // A memory-bound trial over the roof: its bytes may live in cache, above the DRAM roof.
    const memory = { ...cnnAnalysis().roofline, bound: 'memory' as const, fractionOfPeak: 1.14 };
    expect(calibrationNote({ ...trial, roofline: memory })).toBe(
      'the trial reached 114% of the calibrated roof: its 2.27 MiB per inference may stay in the CPU caches, whose bandwidth is above the DRAM roof the calibration measures, or the calibration looks low (the machine was probably busy when it ran); if the latter, measure again with',
    );
  });

  test('node rows: rank, provider short name, times, share and shapes', () => {
    const rows = nodeRows(cnnAnalysis().opProfile);
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual([
      '1',
      'relu_5_nchwc',
      'Conv',
      'CPU',
      '20',
      '7.47 ms',
      '374 µs',
      '47%',
      'float[1,32,32,32], float[64,32,3,3], float[64] → float[1,64,32,32]',
    ]);
    expect(nodeRows(cnnAnalysis().opProfile, 3)).toHaveLength(3);
    expect(nodesCutNote(cnnAnalysis().opProfile, 10)).toBeUndefined();
    expect(nodesCutNote(cnnAnalysis().opProfile, 3)).toBe(
      'showing the 3 slowest of 9 nodes (the Markdown report lists them all)',
    );
    expect(opTypeRows(cnnAnalysis().opProfile)[0]).toEqual(['Conv', '3', '14.3 ms', '91%']);
    expect(formatTensorShapes([])).toBe('');
  });

  test('utilisation groups leave out metrics that were not collected', () => {
    const section = utilisationSection({ ...cnnAnalysis().utilisation, stealPct: null, heapUsedMaxBytes: null });
    expect(section.window).toBe('measure phase: 2 samples over 151 ms');
    const cpu = section.groups.find((g) => g.group === 'CPU');
    expect(cpu && utilisationGroupLine(cpu)).toBe('total 93% (max 100%), busiest core 94% (max 100%), iowait 0%');
    const rows = utilisationRows(section);
    expect(rows).toContainEqual(['Memory', 'available min', '—', '23.0 GiB']);
    expect(rows.some((row) => row[1] === 'heap used max')).toBe(false);
  });
});
