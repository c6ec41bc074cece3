// `profile MODEL --serve` (docs/endpoints.md, "Where the time goes"): the model measured in
// process, then the same configurations measured through a local `inferbench serve` (a child
// process on 127.0.0.1, same device and threads) over each protocol — KServe REST JSON, KServe
// REST binary, KServe gRPC, TF Serving REST — and the difference per stage. One report: the
// in-process trials, then the served ones (ids prefixed with the protocol), and the
// `servingOverhead` section that pairs them. The server is stopped with SIGTERM at the end, on a
// failure, and on the run's abort signal (Ctrl-C).
import { isRemoteTarget } from '../adapters/remote-url.js';
import { PROTOCOL_LABELS, servedRow } from '../analyze/serving-overhead.js';
import { InferbenchError } from '../errors.js';
import type { ProfileHooks } from '../hooks.js';
import { profile, type ProfileOptions } from '../profile.js';
import { resolveProfileOptions } from '../profile-options.js';
import { startServeChild, type ServeChild } from '../server/serve-child.js';
import { SERVED_PROTOCOLS, type Report, type ServedProtocol, type ServedRow, type TrialOk, type TrialResult, type TrialSpec } from '../types.js';

interface Target {
  url: string;
  encoding: ProfileOptions['encoding'];
}

function targetOf(protocol: ServedProtocol, server: ServeChild): Target {
  const v2 = `${server.httpUrl}/v2/models/${server.name}`;
  if (protocol === 'kserve-json') return { url: v2, encoding: 'json' };
  if (protocol === 'kserve-binary') return { url: v2, encoding: 'binary' };
  if (protocol === 'kserve-grpc') return { url: `grpc://${server.grpcAddress}/v2/models/${server.name}`, encoding: 'auto' };
  return { url: `${server.httpUrl}/v1/models/${server.name}`, encoding: 'auto' };
}

/** What --serve cannot do, refused before anything is measured. */
function refuseUnsupported(options: ProfileOptions): { threads: number | null; device: string } {
  const usage = (message: string, hint: string): never => {
    throw new InferbenchError('usage', message, hint);
  };
  if (isRemoteTarget(options.model)) usage('--serve profiles a model file in process and behind a local server; the target is already a URL', 'profile the URL by itself, or pass the model file with --serve');
  if (options.rate !== undefined) usage('--serve with --rate is not supported yet: the served side is measured closed loop', 'leave --rate out (closed loop, --concurrency N), or profile `inferbench serve` with --rate by hand');
  const resolved = resolveProfileOptions({ ...options, serve: false });
  if (resolved.threads.length > 1) usage(`--serve starts one server with one thread setting; --threads lists ${resolved.threads.length}`, 'pass one --threads value');
  if (resolved.devices.length > 1) usage(`--serve starts one server on one device; --device lists ${resolved.devices.length}`, 'pass one --device');
  if (resolved.shard) usage('--serve with --shard is not supported: each shard would start its own server', 'run --serve unsharded');
  if (resolved.repeat > 1) usage('--serve with --repeat is not supported', 'leave --repeat out');
  if (resolved.reference !== null) usage('--reference is for a URL target; --serve already serves the model file it profiles', 'leave --reference out');
  if (resolved.interThreads !== null || resolved.graphOptimization !== 'all') usage('--serve runs the server with the default inter-op threads and graph optimisation; --inter-threads/--graph-opt would measure two different models', 'leave --inter-threads and --graph-opt out with --serve');
  return { threads: resolved.threads[0] ?? null, device: resolved.devices[0] ?? 'cpu' };
}

/** The in-process trial a served one measures against: same batch, streams and output handling. */
function pairKey(spec: TrialSpec): string {
  return `${spec.batch ?? 'model'}|${spec.concurrency ?? 1}|${spec.outputs ?? 'drop'}`;
}

export async function profileServed(options: ProfileOptions, hooks: ProfileHooks = {}): Promise<Report> {
  const setting = refuseUnsupported(options);
  const { serve: _serve, ...plain } = options;
  const served: TrialResult[] = [];
  let local: Report | null = null;
  const combined = (base: Report, rows: ServedRow[] | null, interrupted: boolean): Report => ({
    ...base,
    options: { ...base.options, serve: true },
    trials: [...base.trials, ...served],
    ...(rows && server && { servingOverhead: { server: { model: options.model, name: server.name, threads: setting.threads, device: setting.device, argv: server.argv }, loop: 'closed' as const, rows } }),
    ...(interrupted && { interrupted: true }),
  });
  let server: ServeChild | null = null;
  local = await profile(plain, hooks);
  if (local.interrupted || plain.signal?.aborted) return combined(local, null, true);
  server = await startServeChild(options.model, { ...setting, signal: plain.signal });
  const pairs: { protocol: ServedProtocol; local: TrialOk; served: TrialResult | null }[] = [];
  try {
    for (const protocol of SERVED_PROTOCOLS) {
      if (plain.signal?.aborted) break;
      const target = targetOf(protocol, server);
      const renamed = (t: TrialResult): TrialResult => ({ ...t, spec: { ...t.spec, id: `${protocol} ${t.spec.id}` } });
      const report = await profile(
        {
          ...plain,
          model: target.url,
          encoding: target.encoding,
          // The server holds the model's threads; fp32 only (a served model runs what it was given).
          threads: undefined, precision: 'fp32', variants: undefined, budgets: undefined, checkOutputs: undefined, opProfile: false, pairedSpeedUp: false,
        },
        {
          onTrialStart: hooks.onTrialStart,
          onPhase: hooks.onPhase,
          onTrialEnd: (result, _partial) => hooks.onTrialEnd?.(renamed(result), combined(local!, null, true)),
        },
      );
      const trials = report.trials.map(renamed);
      served.push(...trials);
      for (const trial of local.trials) {
        if (trial.status !== 'ok' || trial.spec.precision !== 'fp32') continue;
        pairs.push({ protocol, local: trial, served: trials.find((t) => pairKey(t.spec) === pairKey(trial.spec)) ?? null });
      }
      if (report.interrupted) break;
    }
  } finally {
    await server.stop();
  }
  const rows = pairs.map((p) => servedRow(p.protocol, p.local, p.served));
  return combined(local, rows, plain.signal?.aborted === true);
}

export { PROTOCOL_LABELS };
