// The analysis parts of an ok trial — execution providers, cost and roofline, and the
// bottleneck verdict — as facts, rows and lines that the console and Markdown exporters lay out
// each in their own way. Every number goes through format.ts; absent fields give nothing.

import type { Bottleneck, TrialOk } from '../types.js';
import { formatBytes, formatCount, formatEvidenceValue, formatPercent, formatQuantity, formatSI, formatTimestamp } from './format.js';
import { type Fact } from './facts.js';

/** Column alignment of a section's table, shared by the console and Markdown layouts. */
export type Align = 'left' | 'right';

/** Above this achieved ÷ attainable, the calibration (not the trial) is the likelier error. */
export const ROOF_OVERSHOOT = 1.1;

/** "nodes per provider: CUDAExecutionProvider 120, CPUExecutionProvider 4", most nodes first. */
export function providersLine(providers: Record<string, number>): string {
  const entries = Object.entries(providers).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return `nodes per provider: ${entries.map(([name, nodes]) => `${name} ${formatCount(nodes)}`).join(', ')}`;
}

/** The trial's providers, from the trial or else from its op profile; undefined when neither. */
function trialProviders(trial: TrialOk): Record<string, number> | undefined {
  const providers = trial.providers ?? trial.opProfile?.nodesPerProvider;
  return providers !== undefined && Object.keys(providers).length > 0 ? providers : undefined;
}

/**
 * "63.9 MFLOP, 2.38 MB per inference, intensity 26.9 FLOP/byte; achieved 191 GFLOP/s, 7.09 GB/s;
 * machine peak 70.4 GFLOP/s, 5.29 GB/s (balance 13.3): compute-bound side, 271% of the roof".
 * Decimal units, as roofline papers and datasheets quote them.
 */
export function costLine(trial: TrialOk): string | undefined {
  const { cost, roofline } = trial;
  if (cost === undefined && roofline === undefined) return undefined;
  const parts: string[] = [];
  if (cost !== undefined) {
    const unknown = cost.unknownOpTypes.length > 0 ? ` (FLOPs not counted for ${cost.unknownOpTypes.join(', ')})` : '';
    parts.push(
      `${formatSI(cost.flops, 'FLOP')}, ${formatSI(cost.bytes, 'B')} per inference, intensity ${formatQuantity(cost.arithmeticIntensity, 'FLOP/byte')}${unknown}`,
    );
  }
  if (roofline !== undefined) {
    const { calibration } = roofline;
    if (cost === undefined) parts.push(`intensity ${formatQuantity(roofline.arithmeticIntensity, 'FLOP/byte')}`);
    parts.push(`achieved ${formatQuantity(roofline.achievedGflops, 'GFLOP/s')}, ${formatQuantity(roofline.achievedGbps, 'GB/s')}`);
    parts.push(
      `machine peak ${formatQuantity(calibration.gflops, 'GFLOP/s')}, ${formatQuantity(calibration.gbps, 'GB/s')} (balance ${formatQuantity(roofline.machineBalance, '')}): ${roofline.bound}-bound side, ${formatPercent(roofline.fractionOfPeak)} of the roof`,
    );
  }
  return parts.join('; ');
}

/** "measured 2026-11-25 13:22:24 UTC (cached)". */
function calibrationLine(trial: TrialOk): string | undefined {
  const calibration = trial.roofline?.calibration;
  if (calibration === undefined) return undefined;
  return `measured ${formatTimestamp(calibration.measuredAt)}${calibration.fromCache ? ' (cached)' : ''}`;
}

/** The command calibrationNote points to; exporters set it as code. */
export const REFRESH_CALIBRATION = 'inferbench calibrate --refresh';

/**
 * A note when the trial beats the calibrated roof. Two causes: a memory-bound model small enough
 * to stay in the CPU caches runs under the cache-bandwidth roof, which is above the DRAM roof the
 * calibration measures (its vectors are sized past any last-level cache on purpose); or the
 * peaks were measured on a busy machine. The text ends where REFRESH_CALIBRATION should follow.
 */
export function calibrationNote(trial: TrialOk): string | undefined {
  const roofline = trial.roofline;
  if (roofline === undefined || !(roofline.fractionOfPeak > ROOF_OVERSHOOT)) return undefined;
  const reached = `the trial reached ${formatPercent(roofline.fractionOfPeak)} of the calibrated roof`;
  const cached = roofline.bound === 'memory' && trial.cost
    ? `: its ${formatBytes(trial.cost.bytes)} per inference may stay in the CPU caches, whose bandwidth is above the DRAM roof the calibration measures, or the calibration looks low (the machine was probably busy when it ran); if the latter, `
    : ', so the calibration looks low (the machine was probably busy when it ran); ';
  return `${reached}${cached}measure again with`;
}

/** Facts that join the trial's fact list: providers, cost and roofline, calibration. */
export function analysisFacts(trial: TrialOk): Fact[] {
  const facts: Fact[] = [];
  const providers = trialProviders(trial);
  if (providers !== undefined) facts.push(['Execution providers', providersLine(providers)]);
  const cost = costLine(trial);
  if (cost !== undefined) facts.push([trial.roofline ? 'Cost / roofline' : 'Cost', cost]);
  const calibration = calibrationLine(trial);
  if (calibration !== undefined) facts.push(['Calibration', calibration]);
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Bottleneck

export const EVIDENCE_HEADER: readonly string[] = ['metric', 'value', 'unit', 'threshold'];
export const EVIDENCE_ALIGN: readonly Align[] = ['left', 'right', 'left', 'right'];
export const STAGE_VERDICT_HEADER: readonly string[] = ['stage', 'share', 'label'];
export const STAGE_VERDICT_ALIGN: readonly Align[] = ['left', 'right', 'left'];

export interface BottleneckSection {
  /** "cpu-bound (confidence 100%)". */
  verdict: string;
  summary: string;
  /** Rows matching EVIDENCE_HEADER; the threshold cell is "—" for context values. */
  evidence: string[][];
  /** Rows matching STAGE_VERDICT_HEADER, largest share first (the classifier's order). */
  stages: string[][];
  /** "quantize-int8: try an int8-quantised model… (why: inference is cpu-bound…)". */
  recommendations: string[];
}

export function bottleneckSection(bottleneck: Bottleneck): BottleneckSection {
  return {
    verdict: `${bottleneck.label} (confidence ${formatPercent(bottleneck.confidence)})`,
    summary: bottleneck.summary,
    evidence: bottleneck.evidence.map((e) => [
      e.metric,
      formatEvidenceValue(e.value, e.unit),
      e.unit,
      e.threshold === null ? '—' : formatEvidenceValue(e.threshold, e.unit),
    ]),
    stages: bottleneck.stages.map((s) => [s.stage, formatPercent(s.share), s.label]),
    recommendations: bottleneck.recommendations.map((r) => `${r.id}: ${r.text} (why: ${r.why})`),
  };
}
