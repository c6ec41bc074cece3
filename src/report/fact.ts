/** A labelled fact: ['CPU', 'AMD EPYC 7B13 (8 cores, 16 threads, 2.45 GHz)']. */
export type Fact = readonly [label: string, value: string];
