// profile(options, hooks) → Report. The library core: validates options, plans the sweep, runs
// each trial through its runtime adapter (in-process or isolated), and returns plain data. It
// never prints; the UI learns about progress through hooks only.
import type { RuntimeAdapter } from './adapters/adapter.js';
import { resolveAdapter } from './adapters/resolve.js';
import { checkOutputs } from './check/check-outputs.js';
import { checkAgainstReference } from './check/reference-check.js';
import { InferbenchError } from './errors.js';
import type { ProfileHooks } from './hooks.js';
import { resolveProfileOptions, type ProfileOptions, type ResolvedProfileOptions } from './profile-options.js';
import { collectEnvironment } from './sample/machine.js';
import { planBaseline, planSweep } from './sweep/plan.js';
import { shardInfo, takeShard } from './merge/shard.js';
import { loadSplitInfo } from './merge/load-split.js';
import { runSweep, type SweepResult } from './sweep/run-sweep.js';
import { KneeRun } from './sweep/knee-sweep.js';
import { judgeSweep } from './sweep/judge-sweep.js';
import type { ModelInfo, Report, TrialSpec } from './types.js';
import { TOOL_VERSION } from './version.js';
import { redactArgv, redactRemote } from './options/redact.js';

export type { ProfileOptions } from './profile-options.js';
export type { ProfileHooks } from './hooks.js';

/** The trials a profile run would measure, without running anything (`--dry-run`). */
export function plan(options: ProfileOptions): TrialSpec[] {
  const resolved = resolveProfileOptions(options);
  return shardPart(resolved, planFor(resolved));
}

/** plan() after the checks a real run makes first: the model opens, every device is known. */
export async function checkedPlan(options: ProfileOptions): Promise<TrialSpec[]> {
  const resolved = resolveProfileOptions(options);
  const adapter = await resolveAdapter(resolved.model);
  await rejectUnknownDevices(adapter, resolved.devices);
  await describeModel(adapter, resolved.model);
  return shardPart(resolved, planFor(resolved));
}

/** A shard's trials: its part of the plan, or, for a split load (--rate against a URL), every trial at R/N. */
function shardPart(options: ResolvedProfileOptions, whole: TrialSpec[]): TrialSpec[] {
  return options.loadSplit ? whole : takeShard(whole, options.shard);
}

function planFor(options: ResolvedProfileOptions): TrialSpec[] {
  return planSweep(
    { model: options.model, interThreads: options.interThreads, graphOptimization: options.graphOptimization },
    { devices: options.devices, precisions: options.precisions, threads: options.threads, batches: options.batches, concurrency: options.concurrency, outputs: options.outputs, ...(options.service && { service: options.service }) },
  );
}

export async function profile(options: ProfileOptions, hooks: ProfileHooks = {}): Promise<Report> {
  // --serve is its own use case (sweep/serve-overhead.ts: profileServed), which calls this one.
  if (options.serve) throw new InferbenchError('usage', 'profile() measures one target; --serve is profileServed()', 'call profileServed(options) from the library, or run inferbench profile MODEL --serve');
  const resolved = resolveProfileOptions(options);
  const startedAt = new Date().toISOString();
  const adapter = await resolveAdapter(resolved.model);
  await rejectUnknownDevices(adapter, resolved.devices);
  if (adapter.runtime !== 'onnxruntime' && adapter.runtime !== 'remote' && resolved.concurrency.some((c) => c > 1)) {
    // tfjs keeps one global backend per process and its wasm/cpu backends one thread: no streams.
    throw new InferbenchError('usage', `--concurrency above 1 needs an ONNX model (${adapter.runtime} runs one backend per process)`, 'profile the ONNX export of the model under load');
  }
  rejectServiceFlags(adapter, resolved);
  if (adapter.runtime === 'remote' && resolved.threads.some((t) => t !== null)) {
    // The model's threads are the server's setting: a sweep over them would measure one thing N times.
    throw new InferbenchError('usage', '--threads sets the threads of a model run in process; an endpoint runs with the threads its server was given', 'leave --threads out for a URL (for inferbench serve: serve --threads N)');
  }
  if (resolved.reference !== null && adapter.runtime !== 'remote') {
    throw new InferbenchError('usage', '--reference compares an endpoint with its model file: the target must be a URL', 'profile http://HOST:PORT/v2/models/NAME --reference model.onnx');
  }
  if (adapter.runtime !== 'onnxruntime' && adapter.runtime !== 'remote' && resolved.service) {
    throw new InferbenchError('usage', `--rate needs an ONNX model (${adapter.runtime} runs one backend per process, and the instances are threads)`, 'profile the ONNX export of the model under load');
  }
  if (resolved.service && resolved.repeat > 1) {
    // Repetitions merge stages but each probe has its own rates and verdicts: one would hide another's overload.
    throw new InferbenchError('usage', '--repeat with --rate is not supported: each probe has its own offered/achieved rate and verdicts', 'run the rates once (a longer --duration gives more requests), or repeat the whole command');
  }
  // Awaited before the sweep, never left running beside it: it spawns child processes.
  const environmentRead = collectEnvironment([await runtimeVersion(adapter)]);
  // Outside any timing, before the sweep: a wrong answer is worth knowing even if measuring fails.
  const checkSession = {
    device: resolved.devices[0] ?? 'cpu',
    intraOpThreads: null,
    interOpThreads: resolved.interThreads,
    graphOptimization: resolved.graphOptimization,
    remote: resolved.remote,
  };
  const outputCheck = resolved.reference !== null
    ? await checkAgainstReference(adapter, resolved.model, resolved.reference, checkSession, resolved.pins, resolved.seed)
    : resolved.checkOutputs === null ? undefined : await checkOutputs(adapter, resolved.model, resolved.checkOutputs, checkSession);

  const environment = await environmentRead;
  // --shard: every shard plans the whole sweep and measures its part; the report records the plan.
  const whole = planFor(resolved);
  const specs = shardPart(resolved, whole);
  hooks.onPlan?.(specs);
  let model: ModelInfo | undefined;
  // Budgets, the best configuration and the trials' load warnings come from the whole report (judge-sweep.ts).
  const knee = resolved.service?.auto ? new KneeRun(resolved) : null;
  const snapshot = async (sofar: SweepResult): Promise<Report> => withKnee(knee, await judgeSweep({
    schemaVersion: 1,
    tool: { name: 'inferbench', version: TOOL_VERSION },
    command: { argv: redactArgv(resolved.argv) },
    startedAt,
    finishedAt: new Date().toISOString(),
    environment,
    model: (model ??= sofar.model ?? (await describeModel(adapter, resolved.model))),
    options: reportableOptions(resolved),
    trials: [...sofar.trials],
    ...(sofar.samples && { samples: sofar.samples }),
    ...(outputCheck && { outputCheck }),
    ...(resolved.shard && { shard: { ...shardInfo(resolved.shard, whole), ...(resolved.loadSplit && { split: loadSplitInfo(resolved.loadSplit, resolved.service?.rates ?? []) }) } }),
    // A partial report (rewritten after each trial) says interrupted until the final rewrite, so a
    // run killed outright (SIGKILL, OOM) never leaves a report that looks complete.
    ...((resolved.signal?.aborted || !done) && { interrupted: true }),
  }, resolved.budgets, resolved.objective));
  let done = false;
  const result = await runSweep(adapter, specs, resolved, hooks, snapshot, resolved.shard && planBaseline(whole), knee?.measure);
  done = true;
  return snapshot(result);
}

/**
 * --rate auto: the knee searches, the advice and every probe besides the knee trials. Budgets were
 * judged on the knee trials only: the probes above the knee fail the budget by design.
 */
function withKnee(knee: KneeRun | null, report: Report): Report {
  if (knee === null) return report;
  return { ...report, trials: [...report.trials, ...knee.probeTrials()], knee: [...knee.knees], ...(knee.advice && { batchingAdvice: knee.advice }) };
}

/**
 * --rate against a URL drives the endpoint's own server: the flags that configure the in-process
 * server (instances, batcher, queue) belong to that server's config; --connections is a URL's only.
 */
function rejectServiceFlags(adapter: RuntimeAdapter, resolved: ResolvedProfileOptions): void {
  const service = resolved.service;
  if (!service) return;
  if (adapter.runtime === 'remote' && service.adviseBatching) {
    throw new InferbenchError('usage', '--advise-batching replays batching settings on a server it runs in process; an endpoint is batched by its own server', 'profile the model file with --rate auto --advise-batching, then set the advised keys in the server\'s config');
  }
  if (adapter.runtime === 'remote' && service.serverFlags.length > 0) {
    const flags = service.serverFlags.join(', ');
    throw new InferbenchError('usage', `${flags} configure${service.serverFlags.length === 1 ? 's' : ''} the server that --rate runs in process; an endpoint is served by its own server`, `set ${service.serverFlags.length === 1 ? 'it' : 'them'} where the model is served (inferbench serve MODEL ${flags.split(', ').map((f) => `${f} …`).join(' ')}, or the server's own config), and drop ${service.serverFlags.length === 1 ? 'it' : 'them'} here`);
  }
  if (adapter.runtime !== 'remote' && service.connections !== null) {
    throw new InferbenchError('usage', '--connections is the client pool of an endpoint URL under --rate; a model file runs in process', 'drop --connections (in process, --instances sets how many requests run at once)');
  }
}

/** A typo in --device fails before the sweep, not as a skipped trial at its end. */
export async function rejectUnknownDevices(adapter: RuntimeAdapter, devices: readonly string[]): Promise<void> {
  const listed = (await adapter.devices()).map((d) => d.device);
  const known = new Set([...(adapter.knownDevices ?? []), ...listed]);
  const unknown = devices.filter((d) => !known.has(d));
  if (unknown.length > 0) {
    throw new InferbenchError('usage', `unknown device '${unknown.join("', '")}' for ${adapter.runtime}`, `use one of: ${[...known].join(', ')} (\`inferbench devices\` lists what this machine can run)`);
  }
}

async function describeModel(adapter: RuntimeAdapter, path: string): Promise<ModelInfo> {
  // Runtime-default threads: some backends refuse an explicit count (tfjs-node), and only metadata is read.
  const session = await adapter.open(path, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'disabled' });
  await session.close();
  return session.info;
}

export async function runtimeVersion(adapter: RuntimeAdapter): Promise<{ name: string; version: string; executionProviders: string[] }> {
  const devices = await adapter.devices();
  return {
    name: adapter.runtime,
    version: adapter.version(),
    executionProviders: devices.filter((d) => d.available).map((d) => d.device),
  };
}

function reportableOptions(options: ResolvedProfileOptions): Record<string, unknown> {
  // loadSplit is the shard's (its seed differs per shard): the report's shard.split records it.
  const { signal: _signal, pins, argv: _argv, loadSplit: _split, ...rest } = options;
  return {
    ...rest,
    remote: redactRemote(options.remote),
    shapes: Object.fromEntries(pins.shapes),
    dims: Object.fromEntries(pins.dims),
    values: Object.fromEntries(pins.values),
    ranges: Object.fromEntries(pins.ranges),
    inputFiles: Object.fromEntries(pins.files),
  };
}
