// The values compare's --format and --ignore accept: plain names, so that `--help` can list them
// without loading the renderers or the matcher.

/** compare --format names, in the order --help lists them (exporter.ts renders each). */
export const COMPARE_FORMATS = ['console', 'md', 'json', 'html', 'github-benchmark', 'github-benchmark-throughput'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Configuration fields compare --ignore can leave out when pairing trials (match.ts). */
export const MATCH_FIELDS = ['model', 'device', 'precision', 'batch', 'threads', 'inter-threads', 'graph-opt', 'concurrency'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];
