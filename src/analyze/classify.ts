// The one combiner: rule verdicts → a label per stage → one label for the request.
//
// Each stage's time is attributed to the resource that bounds that stage:
//   load        → I/O when iowait is high, or when the process sat idle through it (a slow
//                 stream or network read waits without iowait: the load-wait rule); CPU otherwise
//                 (reads served from the page cache, parsing); unknown without data;
//   preprocess, postprocess → CPU (host code);
//   inference   → memory when below the roofline's ridge point; else GPU when the GPU is busy
//                 (GPU devices) or CPU when the process saturates its threads or the roofline
//                 puts it above the ridge (CPU device); CPU when a GPU is starved and the host is
//                 saturated; unknown otherwise.
// The request's label is the resource with the largest attributed share. When the unattributed
// ("unknown") share is larger than any resource's, or nothing is attributed, the answer is
// inconclusive. Confidence = the winner's share of the timed request × the share-weighted mean
// strength of the rules that attributed it.
import { recommend } from './recommend.js';
import { evaluateRules, type RuleSet } from './rules.js';
import type { Bottleneck, BottleneckLabel, ClassifierInput, Evidence, RuleVerdict, StageLabel, StageName, StageVerdict } from '../model/bottleneck.js';
import { ROOF_NEAR_FRACTION, STAGE_MODERATELY_BOUND_SHARE } from './rules.js';

interface Attribution {
  label: StageLabel;
  strength: number;
  rules: RuleVerdict[];
}

function inferenceAttribution(input: ClassifierInput, rules: RuleSet): Attribution {
  const { roofline, gpuBusy, cpuSaturation, allocation } = rules;
  if (roofline.status === 'bound') return { label: 'memory-bound', strength: roofline.strength, rules: [roofline] };
  // Faults and GC of fresh output buffers keep the CPU busy in the kernel and the collector:
  // saturated, but not with the model's arithmetic.
  if (allocation.status === 'bound') return { label: 'memory-bound', strength: allocation.strength, rules: [allocation] };
  if (input.device !== 'cpu') {
    if (gpuBusy.status === 'bound') return { label: 'gpu-bound', strength: gpuBusy.strength, rules: [gpuBusy] };
    if (gpuBusy.status === 'not-bound' && cpuSaturation.status === 'bound') return { label: 'cpu-bound', strength: 1, rules: [gpuBusy, cpuSaturation] };
    return { label: 'unknown', strength: 0, rules: [] };
  }
  const aboveRidge = roofline.status === 'not-bound';
  if (cpuSaturation.status === 'bound') return { label: 'cpu-bound', strength: 1, rules: aboveRidge ? [cpuSaturation, roofline] : [cpuSaturation] };
  if (aboveRidge) {
    // Above the ridge point and within reach of the compute roof: compute-bound, whatever the
    // thread accounting says (a busy machine can starve the threads and still leave the roof
    // near). Far under the roof with threads idle: compute-bound by the model's nature, but the
    // trial loses time elsewhere (serial sections, per-op overhead): weaker evidence.
    const near = (input.roofline?.fractionOfPeak ?? 0) >= ROOF_NEAR_FRACTION;
    return { label: 'cpu-bound', strength: near ? 1 : 0.6, rules: [roofline] };
  }
  // No roofline, threads not saturated, but one core pinned while the rest idle: the inference
  // runs on one core (a serial section, one thread): CPU-bound, on weaker evidence.
  if (roofline.status === 'no-data' && rules.serialCpu.status === 'bound') return { label: 'cpu-bound', strength: 0.6, rules: [rules.serialCpu] };
  return { label: 'unknown', strength: 0, rules: [] };
}

function loadAttribution(rules: RuleSet): Attribution {
  const { iowait, loadShare, loadWait } = rules;
  if (iowait.status === 'bound') return { label: 'io-bound', strength: 1, rules: [loadShare, iowait] };
  if (loadWait.status === 'bound') return { label: 'io-bound', strength: loadWait.strength, rules: [loadShare, loadWait] };
  if (iowait.status === 'not-bound') return { label: 'cpu-bound', strength: 0.5, rules: [loadShare, iowait] };
  return { label: 'unknown', strength: 0, rules: [] };
}

function stageAttributions(input: ClassifierInput, rules: RuleSet): (StageVerdict & { verdicts: RuleVerdict[] })[] {
  const shares = input.stages ?? { inference: 1 };
  const out: (StageVerdict & { verdicts: RuleVerdict[] })[] = [];
  const add = (stage: StageName, a: Attribution): void => {
    const share = shares[stage];
    if (share === null || share === undefined) return;
    out.push({ stage, share, label: a.label, strength: a.strength, rules: a.rules.map((r) => r.rule), verdicts: a.rules });
  };
  add('load', loadAttribution(rules));
  add('preprocess', { label: 'cpu-bound', strength: 1, rules: [rules.preprocessShare] });
  add('inference', inferenceAttribution(input, rules));
  add('postprocess', { label: 'cpu-bound', strength: 1, rules: [rules.postprocessShare] });
  return out.sort((a, b) => b.share - a.share);
}

export function classify(input: ClassifierInput): Bottleneck {
  const rules = evaluateRules(input);
  const stages = stageAttributions(input, rules);
  const timed = stages.reduce((sum, s) => sum + s.share, 0);
  const byLabel = new Map<StageLabel, { share: number; weighted: number }>();
  for (const s of stages) {
    const entry = byLabel.get(s.label) ?? { share: 0, weighted: 0 };
    entry.share += s.share;
    entry.weighted += s.share * s.strength;
    byLabel.set(s.label, entry);
  }
  const unknownShare = byLabel.get('unknown')?.share ?? 0;
  let winner: Exclude<StageLabel, 'unknown'> | null = null;
  for (const [label, entry] of byLabel) {
    if (label === 'unknown' || entry.share <= 0) continue;
    if (winner === null || entry.share > (byLabel.get(winner)?.share ?? 0)) winner = label;
  }
  const winnerEntry = winner === null ? undefined : byLabel.get(winner);
  const conclusive = winner !== null && winnerEntry !== undefined && winnerEntry.share >= unknownShare && timed > 0;
  const label: BottleneckLabel = conclusive && winner !== null ? winner : 'inconclusive';
  const confidence = conclusive && winnerEntry ? round3((winnerEntry.share / timed) * (winnerEntry.weighted / winnerEntry.share)) : 0;
  const evidence = conclusive ? decidingEvidence(stages.filter((s) => s.label === winner)) : missingEvidence(stages, rules);
  const reported = stages.filter((s) => s.share >= STAGE_MODERATELY_BOUND_SHARE || s.stage === 'inference');
  const allRules = Object.values(rules);
  return {
    label,
    confidence,
    evidence,
    recommendations: recommend(label, reported, rules, input),
    stages: reported.map(({ verdicts: _verdicts, ...s }) => s),
    rules: allRules,
    summary: summarise(label, reported),
  };
}

/** Bound verdicts' evidence, each metric once, in stage order. */
function decidingEvidence(stages: readonly { verdicts: RuleVerdict[] }[]): Evidence[] {
  const seen = new Set<string>();
  const evidence: Evidence[] = [];
  for (const s of stages) {
    for (const v of s.verdicts) {
      for (const e of v.evidence) {
        if (seen.has(e.metric)) continue;
        seen.add(e.metric);
        evidence.push(e);
      }
    }
  }
  return evidence;
}

/** For an inconclusive result: the shares of the stages nobody could classify. */
function missingEvidence(stages: readonly StageVerdict[], rules: RuleSet): Evidence[] {
  const evidence: Evidence[] = stages
    .filter((s) => s.label === 'unknown')
    .map((s) => ({ metric: `${s.stage} share of request (unclassified)`, value: s.share, unit: 'fraction', threshold: null }));
  const sampled = Object.values(rules).filter((r) => r.status !== 'no-data').length;
  evidence.push({ metric: 'rules with data', value: sampled, unit: 'rules', threshold: null });
  return evidence;
}

const LABEL_WORDS: Readonly<Record<StageLabel, string>> = {
  'cpu-bound': 'CPU-bound',
  'gpu-bound': 'GPU-bound',
  'memory-bound': 'memory-bound',
  'io-bound': 'I/O-bound',
  // Why is the advice's job (collect-more-data names what is missing): no guess here.
  unknown: 'unclassified',
};

/** "inference is memory-bound; preprocess is CPU-bound and takes 40% of the request". */
export function summarise(label: BottleneckLabel, stages: readonly StageVerdict[]): string {
  const parts = stages.map((s) => `${s.stage} is ${LABEL_WORDS[s.label]} and takes ${Math.round(s.share * 100)}% of the request`);
  const text = parts.join('; ');
  return label === 'inconclusive' ? `inconclusive: ${text || 'no stage timings'}` : text;
}

function round3(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
