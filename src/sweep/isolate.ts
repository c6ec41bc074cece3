// --isolate: each trial in its own child process, so that a native crash, an abort() inside the
// runtime or the kernel's OOM killer takes down one trial, not the sweep or its partial report.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InferbenchError, type ErrorCode } from '../errors.js';
import type { HookPhase, ProfileHooks } from '../hooks.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { TrialFailed, TrialSpec, VariantInfo } from '../types.js';
import type { TrialOutcome } from './run-spec.js';

/** What the parent sends: everything but the AbortSignal, which cannot cross a process. */
export interface ChildRequest {
  spec: TrialSpec;
  variant: VariantInfo;
  options: Omit<ResolvedProfileOptions, 'signal'>;
}

export type ChildMessage =
  | { type: 'phase'; phase: HookPhase; iterations: number; elapsedMs: number }
  | { type: 'result'; outcome: TrialOutcome }
  | { type: 'error'; error: { code: ErrorCode; message: string; hint?: string } };

/** The built child entry; under a test runner that loads src/, the one in dist/. */
export function defaultChildModule(): string {
  const beside = new URL('./trial-child.js', import.meta.url);
  return fileURLToPath(existsSync(beside) ? beside : new URL('../../dist/sweep/trial-child.js', import.meta.url));
}

export function runSpecIsolated(
  spec: TrialSpec,
  variant: VariantInfo,
  options: ResolvedProfileOptions,
  hooks: ProfileHooks,
  childModule: string = defaultChildModule(),
): Promise<TrialOutcome> {
  const { signal, ...sendable } = options;
  const child = fork(childModule, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const forwardAbort = (): void => void child.kill('SIGINT');
  signal?.addEventListener('abort', forwardAbort, { once: true });
  let lastPhase: TrialFailed['phase'] = 'open';
  let settled: TrialOutcome | InferbenchError | undefined;

  return new Promise<TrialOutcome>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'phase') {
        // The analysis after the measurement is not a phase a failed trial records (it stays 'measure').
        if (message.phase !== 'op-profile' && message.phase !== 'calibrate') lastPhase = message.phase;
        hooks.onPhase?.(spec, message.phase, message.iterations, message.elapsedMs);
      } else if (message.type === 'result') {
        settled = message.outcome;
      } else {
        settled = new InferbenchError(message.error.code, message.error.message, message.error.hint);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, exitSignal) => {
      signal?.removeEventListener('abort', forwardAbort);
      if (settled instanceof InferbenchError) return reject(settled);
      if (settled) return resolve(settled);
      const how = exitSignal ? `was killed by ${exitSignal}${exitSignal === 'SIGKILL' ? ' (out of memory? the OOM killer sends SIGKILL)' : ''}` : `exited with code ${code}`;
      resolve({
        result: {
          status: 'failed',
          spec,
          phase: lastPhase,
          error: { code: 'trial-crashed', message: `the trial's process ${how} during ${lastPhase}`, hint: 'the other trials were not affected; try a smaller --batch, or run this configuration alone with --verbose' },
        },
      });
    });
    child.send({ spec, variant, options: sendable } satisfies ChildRequest);
  });
}
