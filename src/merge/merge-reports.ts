// The reports of one model, joined into one report as if one run had made it: trials from
// different shards are collected in plan order; the same trial from several reports is merged by
// adding its histograms (merge-trial.ts). Unlike things are refused with what differs: another
// model (sha256), other measurement settings, another plan, another machine unless allowed.
import { InferbenchError } from '../errors.js';
import type { MergeInfo, Report, TrialPart, TrialResult } from '../types.js';
import { machineDifferences, machineLabel } from './machine.js';
import { isSplitPart, mergeSplitTrial } from './merge-split.js';
import { mergeTrialParts } from './merge-trial.js';
import { AXES, settingDifferences } from './settings.js';
import { inShard, shardLabel, shardOf } from './shard.js';
import { splitCoverage, splitInputs } from './split-reports.js';

/** A report read back, with the name the user knows it by. */
export interface MergeInput {
  report: Report;
  source: string;
}

export interface MergeOptions {
  /** Merge reports measured on different machines (the merged report says so per trial). */
  allowMixedMachines?: boolean;
}

export interface MergedModel {
  /** The merged report, without `budget` (the caller judges the budgets on the merged trials). */
  report: Report;
  /** Said once each: a shard given twice, a part dropped, … */
  warnings: string[];
}

/** Report fields this file builds (budget and best are judged again on the merged trials, src/merge.ts); any other field is kept when the parts agree on it (see extras()). */
const BUILT = new Set(['schemaVersion', 'tool', 'command', 'startedAt', 'finishedAt', 'environment', 'model', 'options', 'trials', 'budget', 'best', 'samples', 'interrupted', 'outputCheck', 'shard', 'merge']);

interface Slot {
  id: string;
  /** Position in the plan, when a shard's report placed it. */
  position: number | undefined;
  results: TrialResult[];
  parts: TrialPart[];
  sources: string[];
}

export function mergeModelReports(given: readonly MergeInput[], options: MergeOptions = {}): MergedModel {
  if (given[0] === undefined) throw new RangeError('mergeModelReports needs at least one report');
  const warnings: string[] = [];
  // A split load (--rate R --shard I/N against one server): every shard holds every trial at R/N.
  const split = splitInputs(given, warnings);
  const inputs = split?.inputs ?? given;
  const first = inputs[0]!;
  checkAlike(inputs, options);
  const plan = sharedPlan(inputs);
  const slots = new Map<string, Slot>();
  const shardsSeen = new Map<string, string>();
  for (const input of inputs) {
    const { report, source } = input;
    const shard = report.shard === undefined ? null : shardLabel(report.shard);
    if (shard !== null && !split) {
      const earlier = shardsSeen.get(shard);
      if (earlier !== undefined) warnings.push(`shard ${shard} is in both ${earlier} and ${source}: its trials are merged as repeated measurements`);
      shardsSeen.set(shard, source);
    }
    const positions = positionsOf(input);
    report.trials.forEach((trial, k) => {
      const slot = slots.get(trial.spec.id) ?? { id: trial.spec.id, position: positions?.[k], results: [], parts: [], sources: [] };
      checkSameSpec(slot, trial, source);
      slot.results.push(trial);
      slot.parts.push({ source, shard, machine: machineLabel(report.environment), count: trial.status === 'ok' ? trial.stages.total.count : 0 });
      slot.sources.push(source);
      slots.set(trial.spec.id, slot);
    });
  }
  const ordered = [...slots.values()].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  const merged = ordered.map((slot) => (slot.results.some(isSplitPart) ? mergeSplitTrial(slot.results, slot.parts) : mergeTrialParts(slot.results, slot.parts)));
  const trials = withMeasuredBaselineIds(merged, plan, ordered);
  const incomplete = plan === null ? undefined : split ? splitCoverage(plan, inputs, split.count) : coverage(plan, inputs, slots);
  const machines = [...new Set(inputs.map((i) => machineLabel(i.report.environment)))];
  const merge: MergeInfo = {
    parts: inputs.map(({ report, source }) => ({ source, shard: report.shard ? shardLabel(report.shard) : null, machine: machineLabel(report.environment), startedAt: report.startedAt, interrupted: report.interrupted === true })),
    machines,
    mixedMachines: inputs.some((i) => machineDifferences(first.report.environment, i.report.environment).length > 0),
    ...(incomplete && { incomplete }),
  };
  const withSamples = inputs.filter((i) => i.report.samples !== undefined);
  if (withSamples.length > 1) warnings.push(`the raw utilisation series of ${withSamples.length} reports are not merged (each is timed from its own process's start); every trial keeps its utilisation summary`);
  const report: Report = {
    ...extras(inputs, warnings),
    schemaVersion: 1,
    tool: first.report.tool,
    command: { argv: withoutShardFlag(first.report.command.argv) },
    startedAt: earliest(inputs.map((i) => i.report.startedAt)),
    finishedAt: latest(inputs.map((i) => i.report.finishedAt)),
    environment: first.report.environment,
    model: first.report.model,
    options: joinedOptions(inputs),
    trials,
    ...(withSamples.length === 1 && { samples: withSamples[0]!.report.samples! }),
    ...(incomplete && { interrupted: true }),
    ...(inputs.find((i) => i.report.outputCheck)?.report.outputCheck && { outputCheck: inputs.find((i) => i.report.outputCheck)!.report.outputCheck! }),
    merge,
  };
  return { report, warnings };
}

function refuse(message: string, hint: string): never {
  throw new InferbenchError('usage', message, hint);
}

/**
 * A shard that does not hold the plan's baseline pairs its speed-ups with the baseline as planned,
 * whose id can differ from the id it ran under ('batch=model' → 'batch=1'): name the measured one,
 * so the sweep table finds the pairing.
 */
function withMeasuredBaselineIds(trials: TrialResult[], plan: readonly string[] | null, slots: readonly Slot[]): TrialResult[] {
  if (plan === null) return trials;
  const measured = new Map(slots.filter((s) => s.position !== undefined).map((s) => [plan[s.position!]!, s.id]));
  return trials.map((t) => {
    const vs = t.status === 'ok' ? t.pairedSpeedUp?.vsTrial : undefined;
    const id = vs === undefined ? undefined : measured.get(vs);
    return id === undefined || id === vs || t.status !== 'ok' ? t : { ...t, pairedSpeedUp: { ...t.pairedSpeedUp!, vsTrial: id } };
  });
}

/** One model, one set of measurement settings, one machine (unless allowed). */
function checkAlike(inputs: readonly MergeInput[], options: MergeOptions): void {
  const first = inputs[0]!;
  for (const other of inputs.slice(1)) {
    if (other.report.model.sha256 !== first.report.model.sha256) {
      refuse(
        `${first.source} and ${other.source} measured different models under one name (sha256 ${first.report.model.sha256.slice(0, 12)}… vs ${other.report.model.sha256.slice(0, 12)}…): their trials would mix two models`,
        'merge the reports of one version of the model; every shard must measure the same file',
      );
    }
    const settings = settingDifferences(first.report, other.report);
    if (settings.length > 0) {
      refuse(`${first.source} and ${other.source} were measured with different settings: ${settings.slice(0, 3).join('; ')}${settings.length > 3 ? ` (and ${settings.length - 3} more)` : ''}`, 'run every shard with the same flags and config (only --shard differs)');
    }
    const machine = machineDifferences(first.report.environment, other.report.environment);
    if (machine.length > 0 && options.allowMixedMachines !== true) {
      refuse(`${first.source} and ${other.source} were measured on different machines (${machine.join('; ')})`, 'run the shards on one machine type, or pass --allow-mixed-machines to merge them anyway (the report then names each trial\'s machine)');
    }
  }
}

/** The plan the sharded reports share (null when none is a shard). */
function sharedPlan(inputs: readonly MergeInput[]): string[] | null {
  const sharded = inputs.filter((i) => i.report.shard !== undefined);
  const first = sharded[0];
  if (first === undefined) return null;
  for (const other of sharded.slice(1)) {
    const a = first.report.shard!.plan;
    const b = other.report.shard!.plan;
    const at = a.findIndex((id, i) => b[i] !== id);
    if (a.length !== b.length || at >= 0) {
      const where = at >= 0 ? `trial ${at + 1} is '${a[at]}' in one and '${b[at] ?? '(none)'}' in the other` : `${a.length} vs ${b.length} trials`;
      refuse(`${first.source} and ${other.source} are shards of different plans (${where})`, 'run every shard with the same sweep flags and config (only --shard differs)');
    }
  }
  return first.report.shard!.plan;
}

/** The plan positions of a shard report's trials, in order (its trials are a prefix of its part). */
function positionsOf({ report, source }: MergeInput): number[] | undefined {
  const shard = report.shard;
  if (shard === undefined) return undefined;
  // A split load's shard measured every trial of the plan (at R/N); a plan's shard, its part.
  const positions = shard.plan.map((_, j) => j).filter((j) => shard.split !== undefined || inShard(shard, j));
  if (report.trials.length > positions.length) {
    refuse(`${source} is shard ${shardLabel(shard)} of ${shard.plan.length} trials, which has ${positions.length}, but holds ${report.trials.length}`, 'the report was edited or is not a shard\'s own; merge the reports the shards wrote');
  }
  return positions;
}

function checkSameSpec(slot: Slot, trial: TrialResult, source: string): void {
  const earlier = slot.results[0];
  if (earlier === undefined) return;
  const { model: _a, ...a } = earlier.spec;
  const { model: _b, ...b } = trial.spec;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof typeof a)[];
  const differ = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (differ.length > 0) {
    refuse(`trial '${slot.id}' has different settings in ${slot.sources[0]} and ${source}: ${differ.map((k) => `${k} ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`).join(', ')}`, 'merge reports measured with the same flags');
  }
}

/** Planned trials no report measured, and the shards that owed them. */
function coverage(plan: readonly string[], inputs: readonly MergeInput[], slots: ReadonlyMap<string, Slot>): MergeInfo['incomplete'] {
  const covered = new Set<number>();
  for (const slot of slots.values()) if (slot.position !== undefined) covered.add(slot.position);
  // An unsharded report covers a planned trial by id.
  plan.forEach((id, j) => {
    if (slots.get(id)?.results.length) covered.add(j);
  });
  const missing = plan.map((_, j) => j).filter((j) => !covered.has(j));
  if (missing.length === 0) return undefined;
  const shard = inputs.find((i) => i.report.shard)!.report.shard!;
  const owed = [...new Set(missing.map((j) => shardOf(j, shard.count, shard.offset)))];
  const shards = owed.map((label) => {
    const interrupted = inputs.filter((i) => i.report.shard && shardLabel(i.report.shard) === label && i.report.interrupted).map((i) => i.source);
    return interrupted.length > 0 ? `${label} (interrupted: ${interrupted.join(', ')})` : `${label} (no report)`;
  });
  return { missing: missing.map((j) => plan[j]!), shards };
}

/** The first report's options, with the axes' values joined over all reports, and no shard. */
function joinedOptions(inputs: readonly MergeInput[]): Record<string, unknown> {
  const { shard: _shard, ...options } = inputs[0]!.report.options;
  for (const axis of AXES) {
    const values = inputs.flatMap((i) => (Array.isArray(i.report.options[axis]) ? (i.report.options[axis] as unknown[]) : []));
    if (values.length > 0) options[axis] = [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
  }
  return options;
}

/**
 * Report fields merge does not know (a newer kind of section): kept when every report that has one
 * has the same, otherwise left out with a warning — a section is never silently taken from one part.
 */
function extras(inputs: readonly MergeInput[], warnings: string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const keys = new Set(inputs.flatMap((i) => Object.keys(i.report).filter((k) => !BUILT.has(k))));
  for (const key of keys) {
    const values = inputs.map((i) => (i.report as unknown as Record<string, unknown>)[key]).filter((v) => v !== undefined);
    if (new Set(values.map((v) => JSON.stringify(v))).size === 1) kept[key] = values[0];
    else warnings.push(`'${key}' differs between the reports (each measured its own) and is left out of the merged report; it is in each part`);
  }
  return kept;
}

/** The command line that would have measured the whole plan: the shard's argv without --shard. */
function withoutShardFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shard') i++;
    else if (!argv[i]!.startsWith('--shard=')) out.push(argv[i]!);
  }
  return out;
}

function earliest(times: readonly string[]): string {
  return [...times].sort()[0]!;
}

function latest(times: readonly string[]): string {
  return [...times].sort().at(-1)!;
}
