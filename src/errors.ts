// One error type for everything a user can cause. The CLI's single error boundary prints
// `error: <message>` and `hint: <hint>` without a stack; any other error is a bug.

/** Process exit codes. The README's table is generated from the same meaning. */
export const ExitCode = {
  ok: 0,
  /** Reserved for budget violations and regressions (compare / --budget). */
  budget: 1,
  /** Bad command line or option value. */
  usage: 2,
  /** The model file is missing, unreadable, or not a valid model. */
  model: 3,
  /** Every trial failed (inputs rejected by the runtime, runtime errors). */
  trialsFailed: 4,
  /** A report could not be written. */
  output: 5,
  /**
   * Some trials failed or crashed, the others were measured and reported. Not 0: a CI job must
   * not pass on a sweep with holes; not 4: there are results to look at.
   */
  someTrialsFailed: 6,
  /** Stopped by SIGHUP (terminal closed); the partial report was written. */
  hangup: 129,
  /** Interrupted by SIGINT; the partial report was written. */
  interrupted: 130,
  /** Stopped by SIGTERM (`timeout`, CI cancellation, `docker stop`); the partial report was written. */
  terminated: 143,
  /** A bug in inferbench: an unexpected exception. */
  internal: 70,
} as const;

export type ErrorCode =
  | 'usage'
  | 'model-not-found'
  | 'model-invalid'
  | 'dim-unresolved'
  | 'shape-invalid'
  | 'input-invalid'
  | 'input-rejected'
  | 'device-unavailable'
  | 'runtime-error'
  | 'out-of-memory'
  | 'trial-crashed'
  | 'output-failed'
  | 'all-trials-failed';

const EXIT_FOR_CODE: Record<ErrorCode, number> = {
  usage: ExitCode.usage,
  'model-not-found': ExitCode.model,
  'model-invalid': ExitCode.model,
  'dim-unresolved': ExitCode.usage,
  'shape-invalid': ExitCode.usage,
  'input-invalid': ExitCode.usage,
  'input-rejected': ExitCode.trialsFailed,
  'device-unavailable': ExitCode.usage,
  'runtime-error': ExitCode.trialsFailed,
  'out-of-memory': ExitCode.trialsFailed,
  'trial-crashed': ExitCode.trialsFailed,
  'output-failed': ExitCode.output,
  'all-trials-failed': ExitCode.trialsFailed,
};

export class InferbenchError extends Error {
  override readonly name = 'InferbenchError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return EXIT_FOR_CODE[this.code];
  }
}

export function isInferbenchError(error: unknown): error is InferbenchError {
  return error instanceof InferbenchError;
}

/** The message of anything thrown, for recording a failed trial. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
