// Writing files atomically (reports, cached calibrations and variants), so that a crash or Ctrl-C
// mid-write never leaves a truncated file (the partial report is rewritten after every trial — hyperfine exports after each benchmark
// "or we would risk losing them"). Temp file in the same directory, fsync, rename over.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import { makeDirectory } from './output-dir.js';

/**
 * Write `contents` to `path` atomically: readers see the old file or the new one, never half.
 * Throws InferbenchError('output-failed') and leaves any existing file untouched on failure.
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array, what = 'report', hint = 'check that the output directory (--out) is writable and is not a file'): void {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    makeDirectory(directory);
    fd = openSync(temp, 'wx', 0o644);
    const data = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    cleanUp(fd, temp);
    throw new InferbenchError('output-failed', `cannot write ${what} ${path}: ${messageOf(error)}`, hint);
  }
}

/** Best effort: the original error is the one worth reporting. */
function cleanUp(fd: number | undefined, temp: string): void {
  try {
    if (fd !== undefined) closeSync(fd);
  } catch {
    // already closed or never valid
  }
  try {
    rmSync(temp, { force: true });
  } catch {
    // the directory never existed (e.g. it is a file): there is no temp file to remove
  }
}
