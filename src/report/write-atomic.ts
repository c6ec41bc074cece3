// Writing reports: atomically, so a crash or Ctrl-C mid-write never leaves a truncated report
// (the partial report is rewritten after every trial — hyperfine exports after each benchmark
// "or we would risk losing them"). Temp file in the same directory, fsync, rename over.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import type { Report } from '../types.js';
import { exporterFor } from './exporter.js';
import { fileStamp } from './format.js';
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

/** Characters safe in a file name on every OS we run on. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'model';
}

/**
 * `<model-basename>-<YYYYMMDD-HHMMSS>` (UTC, from startedAt), e.g. "resnet50-20250131-140509". A
 * TensorFlow.js model is always `model.json`: its folder names it ("cnn" for fixtures/tf/cnn/model.json).
 */
export function reportBaseName(report: Report): string {
  const path = report.model.path.replace(/\\/g, '/');
  const file = basename(path) === 'model.json' && basename(dirname(path)) !== '' ? basename(dirname(path)) : basename(path);
  const stem = file.slice(0, file.length - extname(file).length) || file;
  return `${safeName(stem)}-${fileStamp(report.startedAt)}`;
}

export interface WriteReportsOptions {
  /** Directory to write into; created when missing. */
  outDir: string;
  /** Exporter format names, e.g. ['json', 'markdown']. Unknown names throw before any write. */
  formats: readonly string[];
  /** File name without extension; defaults to reportBaseName(report). */
  baseName?: string;
}

/** Render the report in each format and write `<outDir>/<baseName>.<ext>`; returns the paths. */
export function writeReports(report: Report, options: WriteReportsOptions): string[] {
  const chosen = [...new Set(options.formats.map((format) => exporterFor(format)))];
  const baseName = options.baseName ?? reportBaseName(report);
  return chosen.map((exporter) => {
    const path = join(options.outDir, `${baseName}.${exporter.extension}`);
    writeFileAtomic(path, exporter.render(report, { color: false }));
    return path;
  });
}
