// The service-latency options of profile() resolved and checked: the rates (the sweep axis) and
// one setting of each serving knob. Everything wrong with them is a usage error (exit 2) before
// anything is measured: a rate ≤ 0, an unreadable or unsorted trace, batching flags without
// --rate, open-loop load mixed with closed-loop streams or a data pipeline.
import { InferbenchError } from '../errors.js';
import { defaultOf, type DeclaredOptions } from '../options/declarations.js';
import { ARRIVAL_KINDS, BATCHING_POLICIES, type ArrivalKind, type ServingSettings } from '../types.js';
import { readTrace } from './arrivals.js';
import { checkRates } from './rate-list.js';
import { kneeBudget } from './knee-budget.js';
import { parseBudgets } from '../budget/budget.js';

export interface ResolvedService {
  /** The rate axis; empty with `auto`. */
  rates: number[];
  /** --rate auto: the knee search chooses the rates (sweep/knee-search.ts); --advise-batching adds the batching advice. */
  auto: boolean;
  adviseBatching: boolean;
  settings: Omit<ServingSettings, 'rate'>;
  /** The flags given that configure the in-process server (refused for a URL target: its server has its own). */
  serverFlags: string[];
  /** --connections: a URL target's client connections; null = not given (its declared default: enough for rate × request time on most endpoints, warned when short). */
  connections: number | null;
}

type ServiceInput = Pick<DeclaredOptions, 'rate' | 'connections' | 'adviseBatching' | 'budgets' | 'arrivals' | 'maxBatch' | 'maxDelayMs' | 'batching' | 'instances' | 'queueLimit' | 'concurrency' | 'data' | 'pipeline' | 'postprocess' | 'seed'>;

/** Past this many instances (threads with a session each) a sweep is more likely a typo than a plan. */
const MAX_INSTANCES = 64;

export function resolveServiceOptions(options: ServiceInput): ResolvedService | null {
  const knobs = (['arrivals', 'maxBatch', 'maxDelayMs', 'batching', 'instances', 'queueLimit', 'connections'] as const).filter((k) => options[k] !== undefined);
  if (options.rate === undefined) {
    if (options.adviseBatching === true) throw adviceNeedsAuto();
    if (knobs.length > 0) throw new InferbenchError('usage', `${knobs.map(flagOf).join(', ')} ${knobs.length === 1 ? 'needs' : 'need'} --rate: the batcher and instances serve open-loop arrivals`, 'add --rate 200 (requests/s), or a list --rate 100..800:x2');
    return null;
  }
  const auto = options.rate === 'auto';
  if (options.adviseBatching === true && !auto) throw adviceNeedsAuto();
  // The budget is checked here, before anything is measured: the knee needs a latency percentile.
  if (auto) kneeBudget(parseBudgets(Array.isArray(options.budgets) ? options.budgets : options.budgets === undefined ? [] : [options.budgets]));
  const rates = options.rate === 'auto' ? [] : checkRates(Array.isArray(options.rate) ? options.rate : [options.rate]);
  if (!auto && rates.length === 0) throw new InferbenchError('usage', 'rate: the list is empty', 'e.g. --rate 200');
  const concurrency = Array.isArray(options.concurrency) ? options.concurrency : [options.concurrency ?? 1];
  if (concurrency.some((c) => c > 1)) throw new InferbenchError('usage', '--rate (open loop) and --concurrency (closed loop) are two ways to load the model; pick one', 'drop --concurrency: with --rate, --instances sets how many requests run at once');
  if (options.data !== undefined || options.postprocess !== undefined || (options.pipeline !== undefined && options.pipeline !== 'none')) {
    throw new InferbenchError('usage', '--rate runs synthetic inputs only, not --data, --pipeline or --postprocess', 'measure the pipeline without --rate, or the model alone under load');
  }
  const maxBatch = positiveInt(options.maxBatch ?? defaultOf('maxBatch')!, '--max-batch');
  const maxDelayMs = options.maxDelayMs ?? defaultOf('maxDelayMs')!;
  if (!(maxDelayMs >= 0) || !Number.isFinite(maxDelayMs)) throw new InferbenchError('usage', `--max-delay must be 0 or more, got ${maxDelayMs}`, 'e.g. --max-delay 2ms');
  if (maxDelayMs > 0 && maxBatch === 1) throw new InferbenchError('usage', `--max-delay ${maxDelayMs}ms without --max-batch above 1 would hold requests for nothing`, 'add --max-batch 8 (or drop --max-delay)');
  const batching = options.batching ?? defaultOf('batching')!;
  if (!BATCHING_POLICIES.includes(batching)) throw new InferbenchError('usage', `unknown batching policy '${String(batching)}'`, `use one of: ${BATCHING_POLICIES.join(', ')}`);
  const instances = positiveInt(options.instances ?? defaultOf('instances')!, '--instances');
  if (instances > MAX_INSTANCES) throw new InferbenchError('usage', `--instances must be at most ${MAX_INSTANCES}, got ${instances}`, 'each instance is a thread with its own session');
  const queueLimit = options.queueLimit === undefined ? null : positiveInt(options.queueLimit, '--queue-limit');
  const { arrivals, trace } = arrivalsOf(options.arrivals ?? defaultOf('arrivals')!);
  if (options.adviseBatching && maxBatch === 1) throw new InferbenchError('usage', '--advise-batching needs --max-batch above 1: the largest batch it may advise', 'e.g. --max-batch 8');
  const connections = options.connections === undefined ? null : positiveInt(options.connections, '--connections');
  const serverFlags = knobs.filter((k) => k !== 'arrivals' && k !== 'connections').map(flagOf);
  return { rates, auto, adviseBatching: options.adviseBatching === true, serverFlags, connections, settings: { arrivals, ...(trace !== undefined && { trace }), seed: options.seed ?? defaultOf('seed')!, maxBatch, maxDelayMs, batching, instances, queueLimit } };
}

/** constant | poisson, else a trace file — read now, so a bad one stops the run before anything is measured. */
function arrivalsOf(value: string): { arrivals: ArrivalKind; trace?: string } {
  if (value === 'constant' || value === 'poisson') return { arrivals: value };
  if (ARRIVAL_KINDS.includes(value as ArrivalKind)) throw new InferbenchError('usage', "--arrivals trace needs the trace file's path", 'e.g. --arrivals offsets.txt (one arrival offset in ms per line)');
  readTrace(value);
  return { arrivals: 'trace', trace: value };
}

function positiveInt(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InferbenchError('usage', `${flag} must be a whole number ≥ 1, got ${value}`, `e.g. ${flag} 4`);
  return value;
}

function adviceNeedsAuto(): InferbenchError {
  return new InferbenchError('usage', '--advise-batching replays settings with knee searches, so it needs --rate auto', 'use --rate auto --budget "p99<=50ms" --max-batch 8 --advise-batching');
}

function flagOf(key: string): string {
  return `--${key.replace(/Ms$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
