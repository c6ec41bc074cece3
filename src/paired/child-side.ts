// A side of a paired run that lives in its own child process (side-child.ts): for --isolate (a
// crash of one model costs that configuration, not the run) and for duet mode (both sides run
// their blocks at the same time, one process each). The parent sends one request at a time and
// records the samples each block returns into this side's recorder, outside any timed region.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InferbenchError, type ErrorCode } from '../errors.js';
import { StageRecorder } from '../measure/recorder.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { TrialSpec } from '../types.js';
import type { SideReply, SideRequest } from './child-protocol.js';
import type { PairedSide } from './paired-loop.js';

/** The built child entry; under a test runner that loads src/, the one in dist/. */
function childModule(): string {
  const beside = new URL('./side-child.js', import.meta.url);
  return fileURLToPath(existsSync(beside) ? beside : new URL('../../dist/paired/side-child.js', import.meta.url));
}

export interface ChildSide extends PairedSide {
  opened: Extract<SideReply, { type: 'opened' }>;
  close(): Promise<void>;
}

export async function childSide(path: string, spec: TrialSpec, options: ResolvedProfileOptions): Promise<ChildSide> {
  const { signal: _signal, ...sendable } = options;
  const child = fork(childModule(), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = request(child);
  try {
    const opened = await ask({ type: 'open', path, spec, options: sendable }, 'opened');
    const recorder = new StageRecorder(null, opened.hasLoad);
    return {
      opened,
      recorder,
      first: async () => (await ask({ type: 'first' }, 'first')).first,
      warmup: async (bound) => (await ask({ type: 'warmup', bound }, 'warmup')).warmup,
      harnessCostUs: async () => (await ask({ type: 'harness' }, 'harness')).us,
      async block(k) {
        const { block } = await ask({ type: 'block', k }, 'block');
        const [pre, inf, post, total, load] = block.stages;
        for (let i = 0; i < (total?.length ?? 0); i++) recorder.record(ns(pre, i), ns(inf, i), ns(post, i), ns(total, i), ns(load, i));
        return block.wallNs;
      },
      async close() {
        if (child.connected) await ask({ type: 'close' }, 'closed').catch(() => undefined);
        child.kill();
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}

/** µs sample i of a stage → ns, as the recorder takes it. */
const ns = (stage: Float64Array | undefined, i: number): number => (stage?.[i] ?? 0) * 1000;

type Reply<T extends SideReply['type']> = Extract<SideReply, { type: T }>;

/** One request at a time: resolves with the reply of the expected type, rejects on an error or a crash. */
function request(child: ChildProcess): <T extends SideReply['type']>(message: SideRequest, expect: T) => Promise<Reply<T>> {
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
