// Sharding a plan (`--shard I/N`): every shard computes the same plan and measures its own part,
// so N machines (a GitHub Actions matrix, a Kubernetes Indexed Job) split a sweep with no
// coordinator; `inferbench merge` joins their reports. Shard I takes every N-th trial starting at
// position I − 1 (round-robin, like k6's execution segments over a sequence): neighbouring trials
// of a sweep differ in one axis, often batch, so round-robin gives each shard a mix of cheap and
// costly trials where contiguous blocks would give one shard all the large batches.
// Light on purpose: options/declarations.ts (loaded by --help) imports the parser.
import { InferbenchError } from '../errors.js';
import type { ShardInfo } from '../model/merge.js';
import type { TrialSpec } from '../model/spec.js';

/** Shard `index` (1-based) of `count`; `offset`: the position of this plan in a longer one (a `run` of several models). */
export interface Shard {
  index: number;
  count: number;
  offset?: number;
}

/** At most this many shards: GitHub Actions' matrix limit, and far past any useful split. */
export const MAX_SHARDS = 256;

/** The environment variable a Kubernetes Indexed Job sets in each pod: the completion index, 0-based. */
export const JOB_INDEX_VARIABLE = 'JOB_COMPLETION_INDEX';

const HINT = `write I/N with 1 <= I <= N <= ${MAX_SHARDS}, e.g. --shard 2/4, or job/N to take I from ${JOB_INDEX_VARIABLE} (a Kubernetes Indexed Job)`;

/**
 * '2/4' → shard 2 of 4. 'job/4' → the index from JOB_COMPLETION_INDEX, which Kubernetes numbers
 * from 0: index 0 is shard 1/4. `env` is passed in (the CLI gives process.env).
 */
export function parseShard(raw: string, env: Readonly<Record<string, string | undefined>> = {}): Shard {
  const match = /^\s*(job|\d+)\s*\/\s*(\d+)\s*$/i.exec(raw);
  if (!match) throw new InferbenchError('usage', `--shard '${raw}' is not I/N`, HINT);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) throw new InferbenchError('usage', `--shard ${raw}: N must be between 1 and ${MAX_SHARDS}`, HINT);
  const index = match[1]!.toLowerCase() === 'job' ? jobIndex(env, count) : Number(match[1]);
  if (index < 1 || index > count) {
    throw new InferbenchError('usage', `--shard ${raw}: the shard must be between 1 and ${count} (shards count from 1)`, HINT);
  }
  return { index, count };
}

function jobIndex(env: Readonly<Record<string, string | undefined>>, count: number): number {
  const raw = env[JOB_INDEX_VARIABLE];
  if (raw === undefined || raw.trim() === '') {
    throw new InferbenchError('usage', `--shard job/${count}: ${JOB_INDEX_VARIABLE} is not set`, 'run it in a Kubernetes Job with completionMode: Indexed, or give the shard as I/N');
  }
  if (!/^\d+$/.test(raw.trim())) throw new InferbenchError('usage', `--shard job/${count}: ${JOB_INDEX_VARIABLE}='${raw}' is not an index`, HINT);
  const index = Number(raw.trim()) + 1;
  if (index > count) {
    throw new InferbenchError('usage', `--shard job/${count}: ${JOB_INDEX_VARIABLE}=${raw.trim()} is shard ${index}, but there are ${count}`, 'set the Job\'s completions to the N of --shard job/N');
  }
  return index;
}

/** A library caller's shard, checked as the flag's is (integers, 1 <= index <= count <= MAX_SHARDS). */
export function checkShard(shard: Shard): Shard {
  const { index, count, offset = 0 } = shard;
  const whole = (n: unknown): boolean => Number.isInteger(n);
  if (!whole(index) || !whole(count) || !whole(offset) || count < 1 || count > MAX_SHARDS || index < 1 || index > count || offset < 0) {
    throw new InferbenchError('usage', `shard ${String(index)}/${String(count)}${offset ? ` (offset ${String(offset)})` : ''} is not a shard`, HINT);
  }
  return { index, count, offset };
}

/** Whether position `position` of the plan (0-based) belongs to `shard`. */
export function inShard(shard: Shard, position: number): boolean {
  return (position + (shard.offset ?? 0)) % shard.count === shard.index - 1;
}

/** The shard's part of `plan`, in plan order. */
export function takeShard<T>(plan: readonly T[], shard: Shard | null): T[] {
  return shard === null ? [...plan] : plan.filter((_, position) => inShard(shard, position));
}

/** The shard that measures `position` of a plan recorded with `offset`, as 'I/N'. */
export function shardOf(position: number, count: number, offset: number): string {
  return `${((position + offset) % count) + 1}/${count}`;
}

export function shardLabel(shard: Pick<Shard, 'index' | 'count'>): string {
  return `${shard.index}/${shard.count}`;
}

/** What a shard's report records: which shard, and the whole plan it is a part of. */
export function shardInfo(shard: Shard, plan: readonly TrialSpec[]): ShardInfo {
  return { index: shard.index, count: shard.count, plan: plan.map((spec) => spec.id), offset: shard.offset ?? 0 };
}

/** Said by a shard with no trial (more shards than trials); it exits 0. */
export function emptyShardMessage(shard: Pick<Shard, 'index' | 'count'>, planLength: number): string {
  return `shard ${shardLabel(shard)} has nothing to do: the plan has ${planLength} trial${planLength === 1 ? '' : 's'}, which shards 1–${Math.min(planLength, shard.count)} measure`;
}
