// The values compare's --format and --ignore accept: plain names, so that `--help` can list them
// without loading the renderers or the matcher.

/** compare --format names, in the order --help lists them (exporter.ts renders each). */
export const COMPARE_FORMATS = ['console', 'md', 'json', 'html', 'github-benchmark', 'github-benchmark-throughput'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Configuration fields compare --ignore can leave out when pairing trials (match.ts). */
export const MATCH_FIELDS = ['model', 'device', 'precision', 'batch', 'threads', 'inter-threads', 'graph-opt', 'concurrency'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/**
 * The most epochs a paired comparison takes (--epochs, paired.epochs). Each epoch reopens both
 * sessions, runs their cold iteration and warm-up again, and needs at least one block: 10^9 epochs
 * never ended whatever --duration said. 100 is 20× the default of 5; the t interval over epochs
 * gains nothing from more.
 */
export const MAX_EPOCHS = 100;

/**
 * The most bootstrap resamples --resamples takes: 100× the default B = 1000, whose percentile
 * interval is already steady to the third digit; more only costs memory (a Float64Array of B per
 * metric) and time, and 10^9 would allocate gigabytes.
 */
export const MAX_RESAMPLES = 100_000;
