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
  /**
   * --rate R --shard I/N against a URL: the load is split, not the plan. This shard measured every
   * trial of the plan, offering R/N of each service trial's rate R with its own seed; the shards'
   * Poisson streams superpose into one of rate R at the shared server.
   */
  split?: LoadSplitInfo;
}

/** What a shard of a split load offered (ShardInfo.split). */
export interface LoadSplitInfo {
  /** Each rate R of the plan (the trial ids'), requests/s, in the order --rate gave them. */
  totalRates: number[];
  /** This shard's share of every rate: 1/count. */
  share: number;
  /** The rates this shard offered: R/count each. */
  rates: number[];
  /** The run's --seed, and this shard's arrival seed derived from it (merge/load-split.ts shardSeed). */
  baseSeed: number;
  seed: number;
}

/**
 * The part of a split load (--rate R --shard I/N against one server) a service section holds: one
 * shard's in a shard's report; the shards merged in a merged one. ServiceSection.split.
 */
export interface LoadShare {
  /** The trial's rate R (its id's), requests/s: what all `count` shards offer together. */
  totalRate: number;
  /** N: the shards the load was split over. */
  count: number;
  /** The shards ('I/N') whose arrivals this section holds, in index order. */
  shards: string[];
  /** Each of those shards' arrival seed, in the same order. */
  seeds: number[];
  /** The rate these shards were asked to offer together: totalRate × shards ÷ count, requests/s. */
  rate: number;
  /** Wall-clock interval of the measured arrivals (ISO): first intended arrival → last completion; merged: earliest → latest. */
  startedAt: string;
  finishedAt: string;
  /** Merged only: every pair of the shards' intervals overlapped (the server saw their loads at once). */
  concurrent?: boolean;
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
