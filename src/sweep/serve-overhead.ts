// `profile MODEL --serve` (docs/endpoints.md, "Where the time goes"): the model measured in
// process, then the same configurations measured through a local `inferbench serve` (a child
// process on 127.0.0.1, same device and threads) over each protocol — KServe REST JSON, KServe
// REST binary, KServe gRPC, TF Serving REST — and the difference per stage. Closed loop always;
// with --rate R also open loop at each rate (in process: the in-process queue, batcher and
// instances; served: `profile URL --rate R`, with the batching flags given to the server). One
// report: the in-process trials, then the served ones (ids prefixed with the protocol), and the
// `servingOverhead` section that pairs them. The server is stopped with SIGTERM at the end, on a
// failure, and on the run's abort signal (Ctrl-C).
import { isRemoteTarget } from '../adapters/remote-url.js';
import { servedRow } from '../analyze/serving-overhead.js';
import { InferbenchError, isInferbenchError } from '../errors.js';
import type { ProfileHooks } from '../hooks.js';
import { profile, type ProfileOptions } from '../profile.js';
import { resolveProfileOptions } from '../profile-options.js';
import { serveArgv, startServeChild, type ServeChild } from '../server/serve-child.js';
import { trialId } from './plan.js';
import { defaultModelName } from '../server/serve.js';
import { SERVED_PROTOCOLS, type Report, type ServedProtocol, type ServedRow, type ServingOverhead, type TrialOk, type TrialResult, type TrialSpec } from '../types.js';

function targetOf(protocol: ServedProtocol, server: ServeChild): { url: string; encoding: ProfileOptions['encoding'] } {
  const v2 = `${server.httpUrl}/v2/models/${server.name}`;
  if (protocol === 'kserve-json') return { url: v2, encoding: 'json' };
  if (protocol === 'kserve-binary') return { url: v2, encoding: 'binary' };
  if (protocol === 'kserve-grpc') return { url: `grpc://${server.grpcAddress}/v2/models/${server.name}`, encoding: 'auto' };
  return { url: `${server.httpUrl}/v1/models/${server.name}`, encoding: 'auto' };
}

interface Setting {
  threads: number | null;
  device: string;
  /** `inferbench serve` flags for the batcher and instances (those of --rate), so both sides batch alike. */
  serving: string[];
}

/** What --serve cannot do, refused before anything is measured; the server's settings otherwise. */
function settingOf(options: ProfileOptions): Setting {
  const usage = (message: string, hint: string): never => {
    throw new InferbenchError('usage', message, hint);
  };
  if (isRemoteTarget(options.model)) usage('--serve profiles a model file in process and behind a local server; the target is already a URL', 'profile the URL by itself, or pass the model file with --serve');
  if (options.rate === 'auto' || options.adviseBatching) usage('--serve with --rate auto or --advise-batching is not supported: the knee search runs per target', 'pass the rates with --rate R[,R2…]');
  const { connections: _connections, ...local } = options;
  const resolved = resolveProfileOptions({ ...local, serve: false });
  if (resolved.threads.length > 1) usage(`--serve starts one server with one thread setting; --threads lists ${resolved.threads.length}`, 'pass one --threads value');
  if (resolved.devices.length > 1) usage(`--serve starts one server on one device; --device lists ${resolved.devices.length}`, 'pass one --device');
  if (resolved.shard) usage('--serve with --shard is not supported: each shard would start its own server', 'run --serve unsharded');
  if (resolved.repeat > 1) usage('--serve with --repeat is not supported', 'leave --repeat out');
  if (resolved.reference !== null) usage('--reference is for a URL target; --serve already serves the model file it profiles', 'leave --reference out');
  if (resolved.interThreads !== null || resolved.graphOptimization !== 'all') usage('--serve runs the server with the default inter-op threads and graph optimisation; --inter-threads/--graph-opt would measure two different models', 'leave --inter-threads and --graph-opt out with --serve');
  const serving = resolved.service
    ? [
        '--instances', String(resolved.service.settings.instances), '--max-batch', String(resolved.service.settings.maxBatch),
        ...(resolved.service.settings.maxDelayMs > 0 ? ['--max-delay', `${resolved.service.settings.maxDelayMs}ms`] : []), '--batching', resolved.service.settings.batching,
        ...(resolved.service.settings.queueLimit === null ? [] : ['--queue-limit', String(resolved.service.settings.queueLimit)]),
      ]
    : [];
  return { threads: resolved.threads[0] ?? null, device: resolved.devices[0] ?? 'cpu', serving };
}

/**
 * --serve --dry-run: what follows the in-process plan (the checks a real run makes first, then
 * one line); the served trials' ids depend on the model's metadata, known once the server runs.
 */
export function servedPlanNote(options: ProfileOptions, inProcessTrials: number): string {
  settingOf(options);
  const loops = options.rate === undefined ? 'closed loop' : 'closed loop and at each --rate';
  return `--serve: then the fp32 trials of this plan (${inProcessTrials} in process) through a local \`inferbench serve\`, ${loops}, over ${SERVED_PROTOCOLS.join(', ')}`;
}

/** The in-process trial a served one measures against: same batch, streams, output handling and rate. */
function pairKey(spec: TrialSpec): string {
  return `${spec.batch ?? 'model'}|${spec.concurrency ?? 1}|${spec.outputs ?? 'drop'}|${spec.service?.rate ?? 'closed'}`;
}

/** Options of the in-process and the served runs: closed loop without the load flags, open loop with them. */
function runsOf(options: ProfileOptions): { local: ProfileOptions[]; served: ProfileOptions[] } {
  const { serve: _serve, connections, rate, arrivals, maxBatch, maxDelayMs, batching, instances, queueLimit, ...closed } = options;
  const load = { rate, arrivals, maxBatch, maxDelayMs, batching, instances, queueLimit };
  // The server holds the model's threads and the batcher; a served model runs fp32 as it was given.
  const served = { threads: undefined, precision: 'fp32' as const, variants: undefined, budgets: undefined, checkOutputs: undefined, opProfile: false, pairedSpeedUp: false };
  if (rate === undefined) return { local: [closed], served: [{ ...closed, ...served }] };
  return { local: [closed, { ...closed, ...load }], served: [{ ...closed, ...served }, { ...closed, ...served, rate, arrivals, connections }] };
}

export async function profileServed(options: ProfileOptions, hooks: ProfileHooks = {}): Promise<Report> {
  const setting = settingOf(options);
  const runs = runsOf(options);
  const locals: Report[] = [];
  const served: TrialResult[] = [];
  /** Trials of the run in progress (after the first), for the partial reports written after each. */
  let pending: TrialResult[] = [];
  let server: ServeChild | null = null;
  const aborted = (): boolean => options.signal?.aborted === true;
  const combined = (rows: ServedRow[] | null, interrupted: boolean): Report => {
    const [first, ...more] = locals;
    const server_ = { model: options.model, name: server?.name ?? defaultModelName(options.model), threads: setting.threads, device: setting.device, argv: server?.argv ?? ['inferbench', ...serveArgv(options.model, setting)] };
    const section: ServingOverhead | undefined = rows ? { server: server_, rows } : undefined;
    return {
      ...first!,
      options: { ...first!.options, serve: true, ...(options.rate !== undefined && { rate: options.rate }) },
      trials: [...first!.trials, ...more.flatMap((r) => r.trials), ...served, ...pending],
      ...(section && { servingOverhead: section }),
      ...((interrupted || locals.some((r) => r.interrupted)) && { interrupted: true }),
    };
  };
  /**
   * The first run's hooks are the caller's; later runs show their trials under the served ids
   * (progress lines name the protocol) and report them inside the combined partial report.
   */
  const hooksFor = (rename: (t: TrialResult) => TrialResult, renameSpec: (s: TrialSpec) => TrialSpec): ProfileHooks => {
    if (locals.length === 0) return hooks;
    pending = [];
    return {
      ...hooks,
      onPlan: undefined,
      onTrialStart: (spec, index, count) => hooks.onTrialStart?.(renameSpec(spec), index, count),
      onPhase: (spec, ...rest) => hooks.onPhase?.(renameSpec(spec), ...rest),
      onTrialEnd: (result) => {
        pending.push(rename(result));
        hooks.onTrialEnd?.(rename(result), combined(null, true));
      },
    };
  };
  for (const run of runs.local) {
    if (aborted()) break;
    const report = await profile(run, hooksFor((t) => t, (spec) => spec));
    pending = [];
    locals.push(report);
  }
  if (aborted() || locals.some((r) => r.interrupted)) return combined(null, true);
  const pairs: { protocol: ServedProtocol; local: TrialOk; served: TrialResult | null }[] = [];
  const localTrials = locals.flatMap((r) => r.trials).filter((t): t is TrialOk => t.status === 'ok' && t.spec.precision === 'fp32');
  try {
    server = await startServeChild(options.model, { ...setting, signal: options.signal });
  } catch (error) {
    if (aborted()) return combined(null, true);
    if (!isInferbenchError(error)) throw error;
    // Nothing measured is lost: every served trial fails at 'open' with the server's reason (exit 4).
    for (const protocol of SERVED_PROTOCOLS) {
      for (const local of localTrials) {
        const failed: TrialResult = { status: 'failed', spec: { ...local.spec, id: `${protocol} ${local.spec.id}`, served: protocol }, phase: 'open', error: { code: error.code, message: error.message, ...(error.hint && { hint: error.hint }) } };
        served.push(failed);
        pairs.push({ protocol, local, served: failed });
      }
    }
    return combined(pairs.map((p) => servedRow(p.protocol, p.local, p.served)), aborted());
  }
  try {
    for (const protocol of SERVED_PROTOCOLS) {
      const target = targetOf(protocol, server);
      // The model's threads are the server's: the served trial says so (threads=1, not auto).
      const renameSpec = (spec: TrialSpec): TrialSpec => {
        const withThreads = { ...spec, threads: setting.threads };
        return { ...withThreads, id: `${protocol} ${trialId(withThreads)}`, served: protocol };
      };
      const rename = (t: TrialResult): TrialResult => ({ ...t, spec: renameSpec(t.spec) });
      for (const run of runs.served) {
        if (aborted()) break;
        const report = await profile({ ...run, model: target.url, encoding: target.encoding }, hooksFor(rename, renameSpec));
        pending = [];
        const trials = report.trials.map(rename);
        served.push(...trials);
        for (const trial of localTrials) {
          if ((trial.spec.service === undefined) !== (run.rate === undefined)) continue;
          pairs.push({ protocol, local: trial, served: trials.find((t) => pairKey(t.spec) === pairKey(trial.spec)) ?? null });
        }
      }
    }
  } finally {
    await server.stop();
  }
  return combined(pairs.map((p) => servedRow(p.protocol, p.local, p.served)), aborted());
}
