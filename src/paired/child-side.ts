// Sides of a paired run that live in child processes (side-child.ts). A lane is one child
// process; it holds the sessions of both sides.
//   --isolate: one lane, the sides alternating block by block as in-process (a crash of either
//              model costs that configuration, not the run). With one child per side, each
//              side kept its own core and the alternating ratio of 3× the work ranged 0.95–1.77×
//              over five runs (2026-12-02), against 1.64–1.70× in duet and about 2.4× solo.
//   duet:      two lanes. Every block runs base on one lane and head on the other
//              at the same time, and which lane runs which side is drawn per block, so a core that
//              is slower than the other (this VM's second vCPU ran the same model 1.55× slower
//              than its first, 2026-12-02) weighs on both sides alike instead of on one.
// The parent sends one request at a time per lane and records the samples each block returns into
// the side's recorder, outside any timed region.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InferbenchError, type ErrorCode } from '../errors.js';
import { StageRecorder } from '../measure/recorder.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { TrialSpec } from '../types.js';
import type { BlockSamples, OpenedReply, SideName, SideReply, SideRequest } from './child-protocol.js';
import type { PairedSide } from './paired-loop.js';

/** The built child entry; under a test runner that loads src/, the one in dist/. */
function childModule(): string {
  const beside = new URL('./side-child.js', import.meta.url);
  return fileURLToPath(existsSync(beside) ? beside : new URL('../../dist/paired/side-child.js', import.meta.url));
}

type Reply<T extends SideReply['type']> = Extract<SideReply, { type: T }>;
type Ask = <T extends SideReply['type']>(message: SideRequest, expect: T) => Promise<Reply<T>>;

/** One child process holding the sessions of the sides opened in it. */
export interface ChildLane {
  readonly opened: Partial<Record<SideName, OpenedReply>>;
  open(side: SideName, path: string): Promise<OpenedReply>;
  ask: Ask;
  stopFill(): void;
  close(): Promise<void>;
}

export function childLane(spec: TrialSpec, options: ResolvedProfileOptions): ChildLane {
  const { signal: _signal, ...sendable } = options;
  const child = fork(childModule(), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = request(child);
  const opened: Partial<Record<SideName, OpenedReply>> = {};
  return {
    opened,
    ask,
    async open(side, path) {
      opened[side] = await ask({ type: 'open', side, path, spec, options: sendable }, 'opened');
      return opened[side];
    },
    stopFill: () => void child.send({ type: 'stop-fill' } satisfies SideRequest),
    /** Ends the child and waits for it to exit, so that nothing of it runs beside the next trial. */
    async close() {
      if (child.connected) await ask({ type: 'close' }, 'closed').catch(() => undefined);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** A block's samples into the side's recorder (µs → ns, as the recorder takes them). */
function record(recorder: StageRecorder, block: BlockSamples): number {
  const [pre, inf, post, total, load] = block.stages;
  for (let i = 0; i < (total?.length ?? 0); i++) recorder.record(ns(pre, i), ns(inf, i), ns(post, i), ns(total, i), ns(load, i));
  return block.wallNs;
}

const ns = (stage: Float64Array | undefined, i: number): number => (stage?.[i] ?? 0) * 1000;

/** --isolate: the side runs every block in the one lane. */
export function laneSide(lane: ChildLane, side: SideName, recorder = new StageRecorder(null, lane.opened[side]!.hasLoad)): PairedSide {
  return {
    recorder,
    first: async () => (await lane.ask({ type: 'first', side }, 'first')).first,
    warmup: async (bound) => (await lane.ask({ type: 'warmup', side, bound }, 'warmup')).warmup,
    harnessCostUs: async () => (await lane.ask({ type: 'harness', side }, 'harness')).us,
    block: async (k) => record(recorder, (await lane.ask({ type: 'block', side, k, fill: false }, 'block')).block),
  };
}

/**
 * Duet: the side runs each block in the lane the loop names, and fills until stopFill(). The cold
 * iteration, warm-up and harness cost run in both lanes, one after the other, so both sessions
 * are warm; the report shows the first lane's cold start and warm-up and the lanes' mean harness cost.
 */
export function duetSide(lanes: readonly [ChildLane, ChildLane], side: SideName, recorder = new StageRecorder(null, lanes[0].opened[side]!.hasLoad)): PairedSide {
  let last: ChildLane = lanes[0];
  const both = async <T>(each: (lane: ChildLane) => Promise<T>): Promise<[T, T]> => [await each(lanes[0]), await each(lanes[1])];
  return {
    recorder,
    first: async () => (await both((lane) => lane.ask({ type: 'first', side }, 'first')))[0].first,
    warmup: async (bound) => (await both((lane) => lane.ask({ type: 'warmup', side, bound }, 'warmup')))[0].warmup,
    harnessCostUs: async () => {
      const [a, b] = await both((lane) => lane.ask({ type: 'harness', side }, 'harness'));
      return (a.us + b.us) / 2;
    },
    async block(k, lane = 0) {
      last = lanes[lane];
      return record(recorder, (await last.ask({ type: 'block', side, k, fill: true }, 'block')).block);
    },
    stopFill: () => last.stopFill(),
  };
}

/** One request at a time: resolves with the reply of the expected type, rejects on an error or a crash. */
function request(child: ChildProcess): Ask {
  return (message, expect) =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: SideReply): void => {
        cleanup();
        if (reply.type === 'error') reject(new InferbenchError(reply.code as ErrorCode, reply.message, reply.hint));
        else if (reply.type === expect) resolve(reply as Reply<typeof expect>);
        else reject(new Error(`paired side: expected '${expect}', got '${reply.type}'`));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanup();
        reject(new InferbenchError('trial-crashed', `the side's process ${signal ? `was killed by ${signal}` : `exited with code ${code}`} during '${message.type}'`, 'the other configurations were not affected; run this one alone with --verbose'));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(message);
    });
}
