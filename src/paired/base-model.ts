// Where a paired comparison in `inferbench run` takes the base version of a model: from a git ref
// (`git show <ref>:<path>`, written to a temporary file of the same name, so a CI job compares a
// pull request's model with the base branch's in one job) or from a directory of base models.
// null when the model has no base yet (a model new in this change): it is then not compared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { InferbenchError } from '../errors.js';

export interface BaseSource {
  baseRef?: string;
  baseDir?: string;
  /** compare's epochs (--epochs); undefined: its default. */
  epochs?: number;
}

export function baseModelFor(source: BaseSource, modelPath: string): string | null {
  if (source.baseDir !== undefined) {
    const path = join(source.baseDir, basename(modelPath));
    return existsSync(path) ? path : null;
  }
  if (source.baseRef === undefined) throw new InferbenchError('usage', 'paired comparison needs a base: baseRef or baseDir', 'set paired.baseRef (e.g. "origin/main") or paired.baseDir in the config, or pass --base-ref / --base-dir');
  if (statSync(modelPath).isDirectory()) {
    throw new InferbenchError('usage', `${modelPath} is a directory: a git ref gives single files only`, 'check the base version out into a directory and use paired.baseDir (--base-dir)');
  }
  const ref = source.baseRef;
  const spec = `${ref}:./${relative(process.cwd(), modelPath).split('\\').join('/')}`;
  let bytes: Buffer;
  try {
    bytes = execFileSync('git', ['show', spec], { maxBuffer: 4 * 1024 ** 3, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    // The file does not exist at that ref: a new model, nothing to compare with yet.
    if (/does not exist in|exists on disk, but not in/.test(stderr)) return null;
    throw new InferbenchError('usage', `cannot take ${modelPath} from git ref '${ref}': ${stderr.trim().split('\n')[0] ?? 'git failed'}`, 'fetch the ref first (git fetch origin main --depth 1) and run inferbench inside the repository');
  }
  const dir = mkdtempSync(join(tmpdir(), 'inferbench-base-'));
  const path = join(dir, basename(modelPath));
  writeFileSync(path, bytes);
  return path;
}
