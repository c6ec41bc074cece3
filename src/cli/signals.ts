// SIGINT, SIGTERM and SIGHUP all mean "stop": Ctrl-C, `timeout`, CI cancellation, `docker stop`
// and a closed terminal. The first one aborts the measurement so the partial report is written
// and marked interrupted; a second one leaves at once. The exit code is the shell's convention,
// 128 + the signal number (130, 143, 129), so `timeout` and CI see which signal ended the run.
import { constants } from 'node:os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export function exitCodeForSignal(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

export interface StopHandler {
  readonly signal: AbortSignal;
  /** The signal that stopped the run, if any. */
  received(): StopSignal | undefined;
  dispose(): void;
}

/** Listen for the stop signals until dispose(); `onFirst` says what happens next. */
export function onStopSignals(onFirst: (signal: StopSignal) => void): StopHandler {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      if (received) process.exit(exitCodeForSignal(name)); // second signal: leave now
      received = name;
      onFirst(name);
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler)),
  };
}
