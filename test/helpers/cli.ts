// Spawn the real CLI (bin/inferbench, built by `npm test` before vitest runs) for tests that need
// a process: signals, orphans, exit codes, output paths. Every run has a hard timeout, so a hang
// fails the test instead of stalling the suite.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  pid: number;
}

export const BIN = join(process.cwd(), 'bin', 'inferbench');

export interface CliOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  uid?: number;
  gid?: number;
  onStderr?: (text: string, child: ChildProcess) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const spawnOptions: SpawnOptions = {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined && { uid: options.uid, gid: options.gid ?? options.uid }),
    };
    const child = spawn(process.execPath, [BIN, ...args], spawnOptions);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, pid: child.pid ?? -1 });
    });
  });
}

export const tempDir = (prefix = 'inferbench-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** An error a user can cause: one `error:` line (and maybe a hint), no stack, no bug banner. */
export function problemsWithOneLineError(run: CliRun): string[] {
  const problems: string[] = [];
  if (run.timedOut) problems.push('hung (timed out)');
  if (run.signal) problems.push(`killed by ${run.signal}`);
  if (/internal error|\n\s+at .+:\d+:\d+\)?/.test(run.stderr)) problems.push('printed a stack or an internal error');
  const errors = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
  if (errors.length !== 1) problems.push(`${errors.length} error lines`);
  return problems;
}
