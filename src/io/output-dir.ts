// The output directory, made and checked before anything is measured. Node 20's
// mkdirSync(dir, { recursive: true }) spins at 100% CPU forever on `/proc/x/y` (mkdir says ENOENT,
// the parent says EEXIST, and its walk steps back and forth; reproduced with `timeout 3 node -e`),
// so directories are made one level at a time here, bounded by the depth of the path.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';

/** Make `dir` and its missing parents; throws a plain Error whose message says why not. */
export function makeDirectory(dir: string): void {
  const path = resolve(dir);
  const existing = statOrNull(path);
  if (existing) {
    if (!existing.isDirectory()) throw new Error(`${path} exists and is not a directory`);
    return;
  }
  const parent = dirname(path);
  if (parent === path) throw new Error(`the root ${path} does not exist`);
  makeDirectory(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statOrNull(path)?.isDirectory()) return; // made by someone else meanwhile
    throw new Error(code === 'EACCES' || code === 'EPERM' ? `no permission to create ${path}` : `cannot create ${path}: ${messageOf(error)}`);
  }
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new Error(`a part of ${path} is a file, not a directory`);
    throw new Error(`cannot use ${path}: ${messageOf(error)}`);
  }
}

/**
 * Why a file cannot be written (atomically: a temp file beside it, renamed over) at `file`, or
 * null. Makes its missing parent directories, as the write would.
 */
export function outputFileProblem(file: string): string | null {
  const path = resolve(file);
  try {
    if (statSync(path).isDirectory()) return `${path} is a directory`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `a part of ${path} is a file, not a directory`;
    if (code !== 'ENOENT') return `cannot use ${path}: ${messageOf(error)}`;
  }
  return outputDirProblem(dirname(path));
}

/**
 * Make `dir` and prove a file can be created in it (a probe file, removed at once). Returns why
 * not, or null when reports can be written there. Checking access bits is not enough: root
 * passes them on a read-only mount or in /proc.
 */
export function outputDirProblem(dir: string): string | null {
  try {
    makeDirectory(dir);
    const probe = join(resolve(dir), `.inferbench-probe-${process.pid}.tmp`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${resolve(dir)}`;
    if (code === 'EROFS') return `${resolve(dir)} is on a read-only file system`;
    return messageOf(error);
  }
}

/**
 * Throws a usage error (exit 2) when `path` (a report directory or one file) cannot be written:
 * checked before anything is measured, so that results are never lost to a path. `flag` names
 * where the path came from (--out, output.dir) in the message.
 */
export function checkOutput(flag: string, path: string, kind: 'dir' | 'file'): void {
  const problem = kind === 'dir' ? outputDirProblem(path) : outputFileProblem(path);
  if (problem === null) return;
  throw new InferbenchError('usage', `${flag} ${path}: cannot write ${kind === 'dir' ? 'reports there' : 'it'}: ${problem}`, `choose a writable ${kind === 'dir' ? 'directory' : 'path'} with ${flag}`);
}
