// Where results go when the path chosen for them fails after they were measured (the directory
// removed, the disk full): a fresh directory under the OS temp dir, so that minutes of measuring
// are never dropped for a path problem. The paths are probed before measuring (output-dir.ts);
// this is for what still goes wrong later.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isInferbenchError, messageOf } from '../errors.js';

/** A fresh temp directory, or why there is none (TMPDIR unwritable too). */
export function fallbackDirectory(prefix = 'inferbench-reports-'): { dir: string } | { problem: string } {
  try {
    return { dir: mkdtempSync(join(tmpdir(), prefix)) };
  } catch (error) {
    return { problem: `the temp directory ${tmpdir()} is not writable either (${messageOf(error)})` };
  }
}

/**
 * Writes into an output directory; the first write that fails with 'output-failed' moves every
 * write after it (and that one) to one fresh temp directory. When the temp directory fails too,
 * the original error is thrown (exit 5).
 */
export class FallbackWriter {
  /** Why the chosen directory failed, once it did. */
  fellBack: string | undefined;
  private fallback: string | undefined;

  constructor(private outDir: string) {}

  /** The directory writes go to now. */
  get dir(): string {
    return this.fallback ?? this.outDir;
  }

  /** `write(dir)` into the output directory, or into the temp directory once that failed. */
  inDir<T>(write: (dir: string) => T): T {
    return this.attempt(() => write(this.dir));
  }

  /** `write(path)` at `file`, or at the same name in the temp directory once a write failed. */
  atFile(file: string, write: (path: string) => void): string {
    const target = (): string => (this.fallback === undefined ? file : join(this.fallback, basename(file)));
    return this.attempt(() => {
      const path = target();
      write(path);
      return path;
    });
  }

  private attempt<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (this.fallback !== undefined || !isInferbenchError(error) || error.code !== 'output-failed') throw error;
      const fallback = fallbackDirectory();
      if ('problem' in fallback) throw error;
      this.fellBack = messageOf(error);
      this.fallback = fallback.dir;
      return write();
    }
  }
}
