// Output paths, checked before any work and written without losing the result. A command names
// its outputs (a report directory, a file); the frame probes each before the command measures
// anything (exit 2 with the reason), and a write that still fails later (disk full, the directory
// removed meanwhile) goes to a fresh directory under the OS temp dir — or, when that fails too
// (TMPDIR unwritable), to stdout — and the user is told where. Results that took minutes to
// measure are never dropped for a path problem.
import { basename, join } from 'node:path';
import { messageOf } from '../errors.js';
import { fallbackDirectory } from '../io/fallback-dir.js';
import { checkOutput } from '../io/output-dir.js';
import { writeFileAtomic } from '../io/write-atomic.js';

/** One path a command writes: a directory of report files, or one file (written atomically). */
export interface OutputTarget {
  /** The flag or config key that named it, for the message: '--out', 'output.dir'. */
  flag: string;
  path: string;
  kind: 'dir' | 'file';
}

/** Throws a usage error (exit 2) naming the first target that cannot be written. */
export function checkOutputs(targets: readonly OutputTarget[]): void {
  for (const target of targets) checkOutput(target.flag, target.path, target.kind);
}


/** Where a file output went: its own path, a temp-dir copy, or stdout (`path` null). */
export interface WriteOutcome {
  path: string | null;
  /** Why the target itself failed, when the text went elsewhere. */
  fellBack?: string;
}

/** Write `text` to a file target; on failure to the temp dir; on failure there to stdout. */
export function writeOutput(target: OutputTarget, text: string, what: string): WriteOutcome {
  try {
    writeFileAtomic(target.path, text, what, `check that ${target.flag} names a writable path`);
    return { path: target.path };
  } catch (error) {
    const fellBack = messageOf(error);
    const fallback = fallbackDirectory();
    if ('dir' in fallback) {
      const path = join(fallback.dir, basename(target.path) || 'output');
      try {
        writeFileAtomic(path, text, what);
        return { path, fellBack };
      } catch {
        // fall through to stdout
      }
    }
    process.stdout.write(text);
    return { path: null, fellBack };
  }
}

/** The warning line for a write that did not go where it was asked to. */
export function fallbackWarning(outcome: WriteOutcome, what: string): string | null {
  if (outcome.fellBack === undefined) return null;
  return outcome.path === null
    ? `warning: ${outcome.fellBack}; the temp directory failed too, so the ${what} was printed to stdout above`
    : `warning: ${outcome.fellBack}; the ${what} was written to ${outcome.path} instead`;
}
