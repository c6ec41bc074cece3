// Pairing the trials of two reports, and saying what makes the pair hard to compare.
//
// A trial is identified by its configuration: the model (by file name, or by SHA-256 when the
// file was renamed), device, precision, batch, threads, inter-op threads and graph optimisation.
// Trials present on one side only are listed, never dropped; reports from different machines or
// tool versions are compared but flagged, never silently treated as like for like.
import { serviceIdParts } from '../load/service-id.js';
import { osName } from '../report/facts.js';
import { formatBytes } from '../report/format.js';
import type { Environment, Report, TrialResult, TrialSpec } from '../types.js';

/** Configuration fields a match can be told to ignore (`--ignore threads,graph-opt`). */
import type { MatchField } from './flag-values.js';

export { MATCH_FIELDS, type MatchField } from './flag-values.js';

export interface MatchOptions {
  /** Fields left out of the key: pairs may then differ in them, and the output says so. */
  ignore?: readonly MatchField[];
}

export interface MatchedPair {
  /** Configuration key shared by both trials, e.g. "mlp.onnx cpu fp32 batch=1 threads=auto …". */
  key: string;
  base: TrialResult;
  head: TrialResult;
  /** The full configuration of each side, when they differ in ignored fields. */
  differs?: { base: string; head: string };
}

/** A fingerprint field that differs: 'CPU', 'Memory', 'OS', 'Node', 'Runtime', 'GPU'. */
export interface EnvironmentDifference {
  field: string;
  base: string;
  head: string;
}

export interface ModelChange {
  model: string;
  baseSha256: string;
  headSha256: string;
}

export interface Matching {
  pairs: MatchedPair[];
  /** Trials only in base (removed) or only in head (added), with their keys. */
  baseOnly: { key: string; trial: TrialResult }[];
  headOnly: { key: string; trial: TrialResult }[];
  /** Empty when both reports come from the same kind of machine. Hostname is not compared. */
  environment: EnvironmentDifference[];
  /** Set when the reports were written by different inferbench versions. */
  toolVersions: { base: string; head: string } | null;
  /** Models with the same name whose file content (SHA-256) differs. */
  modelChanges: ModelChange[];
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A model's identity: its file name, or base's name for a renamed file with the same hash. */
function modelName(spec: TrialSpec, renamed: Map<string, string>): string {
  const name = baseName(spec.model);
  return renamed.get(name) ?? name;
}

/** Human-readable key of a trial's configuration, without the `ignore`d fields. */
export function configKey(model: string, spec: TrialSpec, ignore: readonly MatchField[] = []): string {
  const parts: [MatchField, string][] = [
    ['model', model],
    ['device', spec.device],
    ['precision', spec.precision],
    ['batch', `batch=${spec.batch ?? 'model'}`],
    ['threads', `threads=${spec.threads ?? 'auto'}`],
    ['inter-threads', spec.interThreads === null ? '' : `inter=${spec.interThreads}`],
    ['graph-opt', `opt=${spec.graphOptimization}`],
    ['concurrency', (spec.concurrency ?? 1) > 1 ? `concurrency=${spec.concurrency}` : ''],
  ];
  const kept = parts.filter(([field, text]) => text !== '' && !ignore.includes(field)).map(([, text]) => text);
  // An open-loop trial pairs only with the same serving setting: rate, arrivals, batching, instances;
  // a --serve trial only with one served over the same protocol (their URLs name the same model).
  return [...(spec.served ? [spec.served] : []), ...kept, ...(spec.service ? serviceIdParts(spec.service) : [])].join(' ');
}

export function matchReports(base: Report, head: Report, options: MatchOptions = {}): Matching {
  const ignore = options.ignore ?? [];
  const baseModel = baseName(base.model.path);
  const headModel = baseName(head.model.path);
  // Same bytes under a new name: key head's trials by base's name.
  const renamed = new Map<string, string>();
  if (baseModel !== headModel && base.model.sha256 === head.model.sha256) renamed.set(headModel, baseModel);
  const modelChanges: ModelChange[] =
    baseModel === headModel && base.model.sha256 !== head.model.sha256
      ? [{ model: baseModel, baseSha256: base.model.sha256, headSha256: head.model.sha256 }]
      : [];

  const pending = new Map<string, TrialResult[]>();
  for (const trial of base.trials) {
    const key = configKey(modelName(trial.spec, new Map()), trial.spec, ignore);
    pending.set(key, [...(pending.get(key) ?? []), trial]);
  }
  const pairs: MatchedPair[] = [];
  const headOnly: Matching['headOnly'] = [];
  for (const trial of head.trials) {
    const key = configKey(modelName(trial.spec, renamed), trial.spec, ignore);
    const partner = pending.get(key)?.shift();
    if (partner === undefined) {
      headOnly.push({ key, trial });
      continue;
    }
    const full = { base: configKey(modelName(partner.spec, new Map()), partner.spec), head: configKey(modelName(trial.spec, renamed), trial.spec) };
    pairs.push({ key, base: partner, head: trial, ...(full.base !== full.head && { differs: full }) });
  }
  const baseOnly = [...pending.entries()].flatMap(([key, trials]) => trials.map((trial) => ({ key, trial })));
  const toolVersions = base.tool.version === head.tool.version ? null : { base: base.tool.version, head: head.tool.version };
  return { pairs, baseOnly, headOnly, environment: environmentDifferences(base.environment, head.environment), toolVersions, modelChanges };
}

/**
 * The environment fingerprint: what changes latency by itself. CPU model and core counts, memory
 * (to 3 significant digits, so a few MiB of kernel reservation do not count), OS and kernel,
 * Node, runtime versions and execution providers, and GPUs. The hostname is left out on purpose:
 * CI runners get a new one every run.
 */
export function fingerprint(env: Environment): Record<string, string> {
  return {
    CPU: `${env.cpu.model}, ${env.cpu.physicalCores} cores / ${env.cpu.logicalCores} threads`,
    Memory: formatBytes(env.memoryBytes),
    OS: `${env.os.platform} ${env.os.arch} ${osName(env.os)} (kernel ${env.os.kernel})`,
    Node: env.node,
    Runtime: env.runtimes.map((r) => `${r.name} ${r.version} [${r.executionProviders.join(', ')}]`).join('; ') || 'none',
    GPU: env.gpus.map((g) => `${g.name} (driver ${g.driver})`).join('; ') || 'none',
  };
}

export function environmentDifferences(base: Environment, head: Environment): EnvironmentDifference[] {
  const a = fingerprint(base);
  const b = fingerprint(head);
  return Object.keys(a)
    .filter((field) => a[field] !== b[field])
    .map((field) => ({ field, base: a[field] ?? '', head: b[field] ?? '' }));
}
