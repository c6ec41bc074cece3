// The classifier is told what the backend can do and gives no advice it cannot follow: a truth
// table over capabilities on two scenarios that each call for the capability-bound advice
// (a CPU saturated on 1 of 2 threads: more-threads, quantize-int8; a busy GPU at fp32: use-fp16).
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/analyze/classify.js';
import type { BackendCapabilities, ClassifierInput, UtilisationInput } from '../../src/model/bottleneck.js';

const idle: UtilisationInput = { sampleCount: 50, cpuTotalPct: 5, cpuCoreMaxPct: 8, processCpuPctOfCore: 5, iowaitPct: 0.2, diskReadBytesPerSec: 0, gpuUtilPct: null };
const base: ClassifierInput = {
  stages: { preprocess: 0.01, inference: 0.98, postprocess: 0.01 },
  utilisation: null, threads: null, logicalCores: 2, batch: 1, device: 'cpu', precision: 'fp32', roofline: null,
};
const cpuSaturated: ClassifierInput = { ...base, threads: 1, utilisation: { ...idle, processCpuPctOfCore: 99 } };
const gpuBusy: ClassifierInput = { ...base, device: 'cuda', stages: { preprocess: 0.03, inference: 0.95, postprocess: 0.02 }, utilisation: { ...idle, cpuTotalPct: 50, processCpuPctOfCore: 100, gpuUtilPct: 95 } };

const GATED = ['more-threads', 'quantize-int8', 'use-fp16'];
const ids = (input: ClassifierInput): string[] => classify(input).recommendations.map((r) => r.id);

describe('capabilities gate the advice that needs them', () => {
  // [capabilities, advice on the saturated CPU, advice on the busy GPU] — only the gated ids.
  const table: [string, BackendCapabilities | undefined, string[], string[]][] = [
    ['none given (nothing ruled out)', undefined, ['quantize-int8', 'more-threads'], ['use-fp16']],
    ['every precision, threads settable (ONNX Runtime)', { precisions: ['fp32', 'fp16', 'int8', 'int8-static'], canSetThreads: true }, ['quantize-int8', 'more-threads'], ['use-fp16']],
    ['fp32 only, one thread whatever is asked (tfjs wasm)', { precisions: ['fp32'], canSetThreads: false }, [], []],
    ['fp32 only, threads settable (tfjs-node)', { precisions: ['fp32'], canSetThreads: true }, ['more-threads'], []],
    ['int8 but no fp16, one thread', { precisions: ['fp32', 'int8'], canSetThreads: false }, ['quantize-int8'], []],
    ['fp16 but no int8', { precisions: ['fp32', 'fp16'], canSetThreads: true }, ['more-threads'], ['use-fp16']],
    ['static int8 only does not license dynamic int8 advice', { precisions: ['fp32', 'int8-static'], canSetThreads: true }, ['more-threads'], []],
  ];

  it.each(table)('%s', (_name, capabilities, onCpu, onGpu) => {
    const told = (input: ClassifierInput): ClassifierInput => (capabilities ? { ...input, capabilities } : input);
    expect(ids(told(cpuSaturated)).filter((id) => GATED.includes(id))).toEqual(onCpu);
    expect(ids(told(gpuBusy)).filter((id) => GATED.includes(id))).toEqual(onGpu);
  });

  it('changes nothing but the advice: label, confidence, evidence, rules and the other advice stay', () => {
    const none = { precisions: ['fp32'], canSetThreads: false } as const;
    for (const input of [cpuSaturated, gpuBusy]) {
      const free = classify(input);
      const limited = classify({ ...input, capabilities: none });
      expect({ ...limited, recommendations: [] }).toEqual({ ...free, recommendations: [] });
      expect(limited.recommendations).toEqual(free.recommendations.filter((r) => !GATED.includes(r.id)));
    }
  });
});
