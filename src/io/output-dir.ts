// The output directory, made and checked before anything is measured. Node 20's
// mkdirSync(dir, { recursive: true }) spins at 100% CPU forever on `/proc/x/y` (mkdir says ENOENT,
// the parent says EEXIST, and its walk steps back and forth; reproduced with `timeout 3 node -e`),
// so directories are made one level at a time here, bounded by the depth of the path.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { messageOf } from '../errors.js';

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
