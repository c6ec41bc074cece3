import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../src/report/console.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { validateReport } from '../../src/report/validate.js';
import type { GpuSummary } from '../../src/model/samples.js';
import type { OpProfile } from '../../src/types.js';
import { sampleReport } from '../helpers/sample-report.js';
import { analysedReport, cnnAnalysis } from './analysis-fixture.js';

const ESC = '\x1b[';

/** An nvidia-smi summary shaped like test/data/nvidia-smi-1gpu.csv under load. */
const GPU: GpuSummary = {
  index: 0,
  utilizationPct: { mean: 67.5, max: 98 },
  memoryUtilizationPct: { mean: 26, max: 41 },
  memoryUsedBytes: { mean: 8721 * 2 ** 20, max: 8721 * 2 ** 20 },
  powerW: { mean: 224.255, max: 297.44 },
  smClockMHz: { mean: 1410, max: 1410 },
  temperatureC: { mean: 38, max: 41 },
};

/** A profile with more nodes than the console shows. */
function bigProfile(): OpProfile {
  const base = cnnAnalysis().opProfile;
  const template = base.nodes[0];
  if (template === undefined) throw new Error('fixture has no nodes');
  const nodes = Array.from({ length: 14 }, (_, i) => ({ ...template, node: `conv_${i}`, totalUs: 1400 - i * 100 }));
  return { ...base, nodes };
}

describe('the analysed sample report', () => {
  test('validates against the schema, samples included', () => {
    const report = analysedReport();
    expect(report.samples?.samples.length).toBe(2);
    expect(validateReport(report)).toEqual({ valid: true });
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual({ valid: true });
  });
});

describe('console', () => {
  const text = renderConsole(analysedReport(), { color: false });

  test('has no escape codes without colour, and some with it', () => {
    expect(text).not.toContain(ESC);
    expect(renderConsole(analysedReport(), { color: true })).toContain(ESC);
  });

  test('execution providers, cost / roofline and the calibration note', () => {
    expect(text).toMatch(/ {2}Execution providers +nodes per provider: CPUExecutionProvider 9\n/);
    expect(text).toContain(
      '63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte; achieved 191 GFLOP/s, 7.09 GB/s; ' +
        'machine peak 70.4 GFLOP/s, 5.29 GB/s (balance 13.3): compute-bound side, 271% of the roof',
    );
    expect(text).toMatch(/Calibration +measured 2026-11-25 13:22:24 UTC \(cached\)/);
    expect(text).toContain('so the calibration looks low (the machine was probably busy when it ran); measure again with inferbench calibrate --refresh');
  });

  test('bottleneck: verdict, summary, evidence, stages and recommendations', () => {
    expect(text).toContain('Bottleneck  cpu-bound (confidence 100%)');
    expect(text).toContain('  inference is CPU-bound and takes 99% of the request');
    expect(text).toMatch(/│ metric +│ +value │ unit +│ +threshold │/);
    expect(text).toMatch(/│ process CPU per available thread │ +91% │ fraction +│ +90% │/);
    expect(text).toMatch(/│ process CPU +│ 182% of one core │ % of one core │ +— │/);
    expect(text).toMatch(/│ arithmetic intensity +│ +26\.9 FLOP\/byte │ FLOP\/byte +│ 13\.3 FLOP\/byte │/);
    expect(text).toMatch(/│ inference │ +99% │ cpu-bound │/);
    expect(text).toContain(
      '  - quantize-int8: try an int8-quantised model: a quarter of the fp32 weight bytes and faster integer kernels on CPU (why: inference is cpu-bound on the CPU at fp32)',
    );
    expect(text).toContain('  - try-gpu: run on a GPU (--device cuda) if one is available (why:');
  });

  test('utilisation: one line per group, and the notes', () => {
    expect(text).toContain('Utilisation  measure phase: 2 samples over 151 ms');
    expect(text).toMatch(/ {4}CPU +total 93% \(max 100%\), busiest core 94% \(max 100%\), iowait 0%, steal 0%\n/);
    expect(text).toMatch(
      / {4}Process +CPU of one core 182% \(max 204%\), CPU of machine 91% \(max 102%\), threads 14, RSS max 132 MiB, heap used max 17\.4 MiB\n/,
    );
    expect(text).toMatch(/ {4}Memory +available min 23\.0 GiB, swap in 0 pages\/s, swap out 0 pages\/s\n/);
    expect(text).toMatch(/ {4}I\/O +disk read 0 B\/s, disk write 185 KiB\/s \(max 266 KiB\/s\), process read 0 B\/s, process write 344 KiB\/s \(max 494 KiB\/s\)\n/);
    expect(text).toMatch(/ {4}Event loop +utilisation 97% \(max 100%\)\n/);
    expect(text).toContain('    note: nvidia-smi not found: no NVIDIA driver on this machine, so no GPU metrics');
  });

  test('utilisation shows each GPU', () => {
    const utilisation = { ...cnnAnalysis().utilisation, gpus: [GPU], notes: [] };
    const gpuText = renderConsole(analysedReport({ utilisation }), { color: false });
    expect(gpuText).toMatch(
      / {4}GPU 0 +util 68% \(max 98%\), memory util 26% \(max 41%\), memory used 8\.52 GiB, power 224 W \(max 297 W\), SM clock 1,410 MHz, temperature 38\.0 °C \(max 41\.0 °C\)\n/,
    );
    expect(gpuText).not.toContain('note: nvidia-smi');
  });

  test('operators: the top nodes with shapes, and the op types', () => {
    expect(text).toContain('Operators  20 profiled runs, 15.8 ms of inference; kernels 96% of it');
    expect(text).toMatch(/│ # │ node +│ op type +│ provider │ count │ +total │ +mean │ share │ shapes +│/);
    expect(text).toMatch(
      /│ 1 │ relu_5_nchwc +│ Conv +│ CPU +│ +20 │ 7\.47 ms │ +374 µs │ +47% │ float\[1,32,32,32\], float\[64,32,3,3\], float\[64\] → float\[1,64,32,32\] │/,
    );
    expect(text).toMatch(/│ Conv +│ +3 │ 14\.3 ms │ +91% │/);
    expect(text).not.toContain('showing the');
  });

  test('cuts the node table at 10 and says so', () => {
    const cut = renderConsole(analysedReport({ opProfile: bigProfile() }), { color: false });
    expect(cut).toContain('│ 10 │ conv_9 ');
    expect(cut).not.toContain('conv_10');
    expect(cut).toContain('showing the 10 slowest of 14 nodes (the Markdown report lists them all)');
  });
});

describe('markdown', () => {
  const markdown = renderMarkdown(analysedReport());

  test('execution providers, cost / roofline and the calibration note', () => {
    expect(markdown).toContain('- **Execution providers:** nodes per provider: CPUExecutionProvider 9\n');
    expect(markdown).toContain('- **Cost / roofline:** 63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte;');
    expect(markdown).toContain('compute-bound side, 271% of the roof\n');
    expect(markdown).toContain('- **Calibration:** measured 2026-11-25 13:22:24 UTC (cached)');
    expect(markdown).toContain(
      '> ℹ️ **Note:** the trial reached 271% of the calibrated roof, so the calibration looks low (the machine was probably busy when it ran); measure again with `inferbench calibrate --refresh`',
    );
  });

  test('bottleneck section with evidence and stage tables and recommendations', () => {
    expect(markdown).toContain('#### Bottleneck\n\n**cpu-bound (confidence 100%)** — inference is CPU-bound and takes 99% of the request');
    expect(markdown).toContain('| metric | value | unit | threshold |\n|---|---:|---|---:|');
    expect(markdown).toContain('| process CPU per available thread | 91% | fraction | 90% |');
    expect(markdown).toContain('| achieved bandwidth | 7.09 GB/s | GB/s | — |');
    expect(markdown).toContain('| postprocess share of request | 0.5% | fraction | 5.0% |');
    expect(markdown).toContain('| stage | share | label |\n|---|---:|---|\n| inference | 99% | cpu-bound |');
    expect(markdown).toContain('**Recommendations**\n\n- quantize-int8: try an int8-quantised model');
  });

  test('utilisation table and notes', () => {
    expect(markdown).toContain('#### Utilisation\n\nmeasure phase: 2 samples over 151 ms.');
    expect(markdown).toContain('| group | metric | mean | max |');
    expect(markdown).toContain('| CPU | total | 93% | 100% |');
    expect(markdown).toContain('| Process | CPU of one core | 182% | 204% |');
    expect(markdown).toContain('| Process | CPU of machine | 91% | 102% |');
    expect(markdown).toContain('| Process | threads | 14 | 14 |');
    expect(markdown).toContain('| Process | RSS max | — | 132 MiB |');
    expect(markdown).toContain('| Memory | available min | — | 23.0 GiB |');
    expect(markdown).toContain('| I/O | process write | 344 KiB/s | 494 KiB/s |');
    expect(markdown).toContain('| Event loop | utilisation | 97% | 100% |');
    expect(markdown).toContain('- Note: nvidia-smi not found: no NVIDIA driver on this machine, so no GPU metrics');
    const utilisation = { ...cnnAnalysis().utilisation, gpus: [GPU] };
    const gpu = renderMarkdown(analysedReport({ utilisation }));
    expect(gpu).toContain('| GPU 0 | util | 68% | 98% |');
    expect(gpu).toContain('| GPU 0 | power | 224 W | 297 W |');
    expect(gpu).toContain('| GPU 0 | SM clock | 1,410 MHz | 1,410 MHz |');
  });

  test('operators: every kept node, escaped, and the op-type table', () => {
    expect(markdown).toContain('#### Operators\n\n20 profiled runs, 15.8 ms of inference; kernels 96% of it');
    expect(markdown).toContain(
      '| 1 | relu\\_5\\_nchwc | Conv | CPU | 20 | 7.47 ms | 374 µs | 47% | float[1,32,32,32], float[64,32,3,3], float[64] → float[1,64,32,32] |',
    );
    expect(markdown).toContain('| 9 | Flatten\\_10 | Flatten | CPU | 20 | 79.0 µs | 3.95 µs | 0.5% | float[1,64,1,1] → float[1,64] |');
    expect(markdown).toContain('| op type | nodes | total | share |\n|---|---:|---:|---:|\n| Conv | 3 | 14.3 ms | 91% |');
    const all = renderMarkdown(analysedReport({ opProfile: bigProfile() }));
    expect(all).toContain('| 14 | conv\\_13 |');
  });
});

describe('absent fields render nothing', () => {
  const plainConsole = renderConsole(sampleReport(), { color: false });
  const plainMarkdown = renderMarkdown(sampleReport());

  test.each(['Execution providers', 'Cost', 'Calibration', 'Bottleneck', 'Utilisation', 'Operators', 'calibrate --refresh'])(
    '%s',
    (word) => {
      expect(plainConsole).not.toContain(word);
      expect(plainMarkdown).not.toContain(word);
    },
  );

  test('each section goes alone', () => {
    const noBottleneck = renderMarkdown(analysedReport({ bottleneck: undefined }));
    expect(noBottleneck).not.toContain('#### Bottleneck');
    expect(noBottleneck).toContain('#### Utilisation');
    const noUtilisation = renderConsole(analysedReport({ utilisation: undefined }), { color: false });
    expect(noUtilisation).not.toContain('Utilisation');
    expect(noUtilisation).toContain('Bottleneck');
    const noProfile = renderConsole(analysedReport({ opProfile: undefined, providers: undefined }), { color: false });
    expect(noProfile).not.toContain('Operators');
    expect(noProfile).not.toContain('Execution providers');
    const noRoof = renderMarkdown(analysedReport({ roofline: undefined }));
    expect(noRoof).toContain('- **Cost:** 63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte\n');
    expect(noRoof).not.toContain('calibrate --refresh');
  });

  test('providers fall back to the op profile', () => {
    const text = renderConsole(analysedReport({ providers: undefined }), { color: false });
    expect(text).toContain('nodes per provider: CPUExecutionProvider 9');
  });
});
