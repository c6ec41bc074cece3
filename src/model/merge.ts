// Scale-out (issue 26): a sweep split into shards (`--shard I/N`), and the report `inferbench merge`
// makes of the shards' reports. Plain data, like every file in model/.

/**
 * This report measured one shard of a plan. Every shard computes the same plan and measures the
 * positions j with (offset + j) mod count = index − 1, so the shards are disjoint and cover it.
 */
export interface ShardInfo {
  /** 1-based: shard `index` of `count`. */
  index: number;
  count: number;
  /** The whole plan of this model (every shard's trials), as planned trial ids, in order. */
  plan: string[];
  /** Position of this model's first trial in the run's plan: 0 for `profile`; for `run`, the trials of the config's earlier models. */
  offset: number;
}

/** One report a trial of a merged report came from. */
export interface TrialPart {
  /** The report file (as given to merge). */
  source: string;
  /** 'I/N' when that report was a shard; null otherwise. */
  shard: string | null;
  /** The machine it ran on (hostname, CPU). */
  machine: string;
  /** Samples of the `total` stage this part measured. */
  count: number;
}

/** What `inferbench merge` made this report of. */
export interface MergeInfo {
  parts: { source: string; shard: string | null; machine: string; startedAt: string; interrupted: boolean }[];
  /** Machines the parts ran on; more than one only with --allow-mixed-machines. */
  machines: string[];
  /** The parts ran on different machines (allowed by --allow-mixed-machines): trials are not comparable as from one machine. */
  mixedMachines: boolean;
  /** Planned trials no part measured (a shard missing or interrupted); absent when complete. */
  incomplete?: { missing: string[]; shards: string[] };
}
