// The interleaving logic of the paired loop, on sides that record made-up samples (no runtime:
// what is tested here is the scheduling, not what a runtime measures).
import { describe, expect, test } from 'vitest';
import { StageRecorder } from '../../src/measure/recorder.js';
import { AUTO, BLOCK_TARGET_MS, blockSize, COUNT_TARGET_BLOCKS, runPairedLoop, type PairedSide, type ReopenSides } from '../../src/paired/paired-loop.js';
import type { PhaseBound, WarmupSummary } from '../../src/types.js';

interface FakeSide extends PairedSide {
  /** Global order of block starts, shared by both sides. */
  calls: number[];
}

function fakeSide(name: string, log: string[], usPerIteration: number, recorder = new StageRecorder(null)): FakeSide {
  const calls: number[] = [];
  return {
    recorder,
    calls,
    first: async () => ({ firstInferenceMs: 1, firstTotalMs: 1 }),
    warmup: async (bound: PhaseBound): Promise<WarmupSummary> => ({ iterations: 10, durationMs: (10 * usPerIteration) / 1000, convergedAt: 5, bound }),
    harnessCostUs: async () => 0.5,
    async block(k: number, lane?: 0 | 1) {
      log.push(lane === undefined ? `${name}:${k}` : `${name}:${k}:lane${lane}`);
      for (let i = 0; i < k; i++) recorder.record(0, usPerIteration * 1000, 0, usPerIteration * 1000);
      await new Promise((resolve) => setImmediate(resolve));
      return k * usPerIteration * 1000;
    },
    stopFill: () => void log.push(`${name}:stop`),
  };
}

describe('runPairedLoop', () => {
  test('-n N: exactly N iterations a side, in blocks that alternate the sides in a drawn order', async () => {
    const log: string[] = [];
    const base = fakeSide('base', log, 2000); // 2 ms an iteration: blocks of 10 (20 ms)
    const head = fakeSide('head', log, 2000);
    const m = await runPairedLoop(base, head, { warmup: { kind: 'auto' }, measure: { kind: 'count', iterations: 1005 }, seed: 3, threshold: 0.05 });
    expect(base.recorder.count).toBe(1005);
    expect(head.recorder.count).toBe(1005);
    expect(m.iterationsPerBlock).toBe(BLOCK_TARGET_MS / 2);
    expect(m.blocks.baseEnds).toHaveLength(101); // 100 blocks of 10, then one of 5
    expect(m.blocks.baseEnds.at(-1)).toBe(1005);
    expect(m.blocks.headEnds).toEqual(m.blocks.baseEnds);
    expect(m.stopReason).toBe('iterations');
    // Each block holds one half of each side, in the order drawn for it.
    for (let b = 0; b < 101; b++) {
      const pair = log.slice(2 * b, 2 * b + 2).map((entry) => entry.split(':')[0]);
      expect(pair).toEqual(m.blocks.baseFirst[b] ? ['base', 'head'] : ['head', 'base']);
    }
    // Both orders occur, about equally often.
    const baseFirst = m.blocks.baseFirst.filter(Boolean).length;
    expect(baseFirst).toBeGreaterThan(30);
    expect(baseFirst).toBeLessThan(71);
    expect(m.blocks.baseWallNs).toHaveLength(101);
  });

  test('the order is seeded: the same seed draws the same order, another seed another', async () => {
    const orderOf = async (seed: number) => {
      const log: string[] = [];
      const m = await runPairedLoop(fakeSide('base', log, 1000), fakeSide('head', log, 1000), { warmup: { kind: 'auto' }, measure: { kind: 'count', iterations: 400 }, seed, threshold: 0.05 });
      return m.blocks.baseFirst;
    };
    expect(await orderOf(1)).toEqual(await orderOf(1));
    expect(await orderOf(1)).not.toEqual(await orderOf(2));
  });

  test('duet: both halves at once, one per lane, the lanes swapped per drawn order; the filler stops once both ended', async () => {
    const log: string[] = [];
    const base = fakeSide('base', log, 1000);
    const head = fakeSide('head', log, 2000); // its blocks take twice as long: blocks of 10 (20 ms)
    const m = await runPairedLoop(base, head, { warmup: { kind: 'auto' }, measure: { kind: 'count', iterations: 1000 }, seed: 5, threshold: 0.05, duet: true });
    const blocks = m.blocks.baseEnds.length;
    expect(blocks).toBe(100);
    expect(log).toHaveLength(4 * blocks); // two blocks and two stops per pair
    for (let b = 0; b < blocks; b++) {
      const [first, second, ...stops] = log.slice(4 * b, 4 * b + 4);
      // The first lane is asked first; base is in it when the draw says so, head in the other.
      expect([first, second]).toEqual(m.blocks.baseFirst[b] ? ['base:10:lane0', 'head:10:lane1'] : ['head:10:lane0', 'base:10:lane1']);
      expect(stops.sort()).toEqual(['base:stop', 'head:stop']);
      // Walls go to the side that ran them, whichever lane it was in.
      expect(m.blocks.headWallNs[b]).toBe(2 * m.blocks.baseWallNs[b]!);
    }
    const inFirstLane = m.blocks.baseFirst.filter(Boolean).length;
    expect(inFirstLane).toBeGreaterThan(30);
    expect(inFirstLane).toBeLessThan(71);
  });

  test('epochs: -n shared out evenly, each epoch after the first on fresh sides that record into the same recorders, warmed up first', async () => {
    const log: string[] = [];
    const base = fakeSide('base', log, 2000);
    const head = fakeSide('head', log, 2000);
    const reopened: number[] = [];
    const m = await runPairedLoop(base, head, {
      warmup: { kind: 'auto' },
      measure: { kind: 'count', iterations: 1000 },
      seed: 2,
      threshold: 0.05,
      epochs: 4,
      reopen: async (recorders, epoch) => {
        reopened.push(epoch);
        expect(recorders).toEqual({ base: base.recorder, head: head.recorder });
        const warmed = (side: FakeSide, name: string): FakeSide => ({ ...side, warmup: (bound) => (log.push(`${name}:warmup`), side.warmup(bound, undefined)) });
        return { base: warmed(fakeSide(`base${epoch}`, log, 2000, recorders.base), `base${epoch}`), head: warmed(fakeSide(`head${epoch}`, log, 2000, recorders.head), `head${epoch}`) };
      },
    });
    expect(reopened).toEqual([1, 2, 3]);
    expect(base.recorder.count).toBe(1000);
    expect(head.recorder.count).toBe(1000);
    expect(m.blocks.epochs).toHaveLength(m.blocks.baseEnds.length);
    // 250 iterations an epoch in blocks of 10: 25 blocks each, in order.
    expect(m.blocks.epochs).toEqual([0, 1, 2, 3].flatMap((e) => Array<number>(25).fill(e)));
    expect(m.blocks.baseEnds.filter((_, b) => m.blocks.epochs![b] === 0).at(-1)).toBe(250);
    // Epoch e's blocks ran on epoch e's sides, and only there.
    expect(log.filter((entry) => entry.startsWith('base:'))).toHaveLength(25);
    for (const e of [1, 2, 3]) {
      const entries = log.filter((entry) => entry.startsWith(`base${e}:`) || entry.startsWith(`head${e}:`));
      // Both fresh sides warm up before the epoch's first block.
      expect(entries.slice(0, 2).sort()).toEqual([`base${e}:warmup`, `head${e}:warmup`]);
      expect(entries.filter((entry) => /:\d+$/.test(entry))).toHaveLength(50);
    }
    expect(m.stopReason).toBe('iterations');
  });

  test('epochs need a way to reopen: without one the run is one epoch; -n below the epochs makes one epoch an iteration', async () => {
    const log: string[] = [];
    const m = await runPairedLoop(fakeSide('base', log, 1000), fakeSide('head', log, 1000), { warmup: { kind: 'auto' }, measure: { kind: 'count', iterations: 400 }, seed: 1, threshold: 0.05, epochs: 5 });
    expect(new Set(m.blocks.epochs)).toEqual(new Set([0]));
    const base = fakeSide('base', log, 1000);
    const head = fakeSide('head', log, 1000);
    const reopen: ReopenSides = async (recorders, epoch) => ({ base: fakeSide(`base${epoch}`, log, 1000, recorders.base), head: fakeSide(`head${epoch}`, log, 1000, recorders.head) });
    const few = await runPairedLoop(base, head, { warmup: { kind: 'auto' }, measure: { kind: 'count', iterations: 3 }, seed: 1, threshold: 0.05, epochs: 5, reopen });
    expect(few.blocks.epochs).toEqual([0, 1, 2]);
    expect(few.blocks.baseEnds).toEqual([1, 2, 3]);
  });

  test('an abort stops after the current block, marked interrupted', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const base = fakeSide('base', log, 1000);
    const m = await runPairedLoop(base, fakeSide('head', log, 1000), {
      warmup: { kind: 'auto' },
      measure: { kind: 'time', ms: 60_000 },
      seed: 1,
      threshold: 0.05,
      signal: controller.signal,
      onProgress: (blocks) => blocks === 3 && controller.abort(),
    });
    expect(m.stopReason).toBe('interrupted');
    expect(m.blocks.baseEnds).toHaveLength(3);
  });

  test('auto: never stops before its minimum blocks, and stops on the precision goal', async () => {
    const log: string[] = [];
    // Identical, noise-free sides: the interval is zero wide as soon as it may be computed.
    const m = await runPairedLoop(fakeSide('base', log, 20_000), fakeSide('head', log, 20_000), { warmup: { kind: 'auto' }, measure: { kind: 'auto' }, seed: 1, threshold: 0.05 });
    expect(m.stopReason).toBe('auto-target');
    expect(m.blocks.baseEnds.length).toBeGreaterThanOrEqual(AUTO.minBlocks);
  });
});

describe('blockSize', () => {
  const warm = (msPerIteration: number): WarmupSummary => ({ iterations: 100, durationMs: 100 * msPerIteration, convergedAt: 1, bound: { kind: 'auto' } });
  test('aims at BLOCK_TARGET_MS of the slower side, at least one iteration; -n gets at least COUNT_TARGET_BLOCKS blocks', () => {
    expect(blockSize({ base: warm(0.5), head: warm(2) }, { kind: 'auto' })).toBe(10);
    expect(blockSize({ base: warm(100), head: warm(100) }, { kind: 'auto' })).toBe(1);
    expect(blockSize({ base: warm(0.001), head: warm(0.001) }, { kind: 'auto' })).toBe(500);
    expect(blockSize({ base: warm(0.5), head: warm(0.5) }, { kind: 'count', iterations: 7 })).toBe(1);
    expect(blockSize({ base: warm(0.01), head: warm(0.01) }, { kind: 'count', iterations: 200 })).toBe(Math.floor(200 / COUNT_TARGET_BLOCKS));
  });
});
