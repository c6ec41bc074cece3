// The command frame (src/cli/frame.ts), checked on every registered command: each is built by the
// frame; an extra positional argument is exit 2 before any work; every output flag it declares is
// probed before any work (exit 2 naming the flag); a stop signal ends a running command with
// 128 + n. A command added to main.ts's COMMANDS fails the first test until it has a row in CASES.
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { defineCommand, isFramed } from '../../src/cli/frame.js';
import { buildProgram } from '../../src/cli/main.js';
import { problemsWithOneLineError, runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('inferbench-frame-');
const REPORT = 'test/data/compare/cnn-t1-a.json';
const MLP = 'fixtures/mlp.onnx';
const QUICK = ['-n', '5', '-w', '1', '-t', '1', '--no-sample', '--no-op-profile'];
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ models: [resolve(MLP)], measure: { warmup: 1, iterations: 5 }, sweep: { threads: [1] }, output: { dir: join(dir, 'run-out'), comparison: join(dir, 'run-out', 'c.md') }, baseline: join(dir, 'baseline') }));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');
/** A path no command can write: its parent is a file (ENOTDIR, root included). */
const UNDER_A_FILE = join(aFile, 'sub', 'out');

interface Case {
  /** A quick invocation the command accepts (positionals first, so an extra one can follow). */
  args: string[];
  /** The output flags, each probed before any work. */
  outputs: string[];
}

/** One row per registered command. */
const CASES: Record<string, Case> = {
  profile: { args: [MLP, ...QUICK, '-o', join(dir, 'profile-out')], outputs: ['--out'] },
  devices: { args: [], outputs: [] },
  calibrate: { args: ['--cache', join(dir, 'calibration.json')], outputs: [] },
  compare: { args: [REPORT, REPORT], outputs: ['--out'] },
  run: { args: ['-c', config, ...QUICK.slice(0, 2)], outputs: ['--out', '--comparison'] },
  report: { args: [REPORT], outputs: ['--out'] },
  merge: { args: [REPORT, '-o', join(dir, 'merged.json')], outputs: ['--out'] },
  serve: { args: [MLP, '--port', '0', '--no-grpc'], outputs: [] },
  completion: { args: ['bash'], outputs: [] },
};

const registered = buildProgram().commands;

test('every registered command runs through the frame and has a row here', () => {
  expect(registered.length).toBeGreaterThan(0);
  for (const command of registered) {
    expect(isFramed(command), `${command.name()} is not made by defineCommand`).toBe(true);
    expect(Object.keys(CASES), `add a row for '${command.name()}' to CASES in test/cli/frame.test.ts`).toContain(command.name());
  }
});

const names = registered.map((c) => c.name());

describe.concurrent('every command: an extra positional argument is exit 2, before any work', () => {
  test.each(names)('%s', async (name) => {
    const { args } = CASES[name]!;
    const positionals = registered.find((c) => c.name() === name)!.registeredArguments.length;
    const run = await runCli([name, ...args.slice(0, positionals), 'extra-argument', ...args.slice(positionals)], { timeoutMs: 60_000 });
    expect(problemsWithOneLineError(run), run.stderr).toEqual([]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\[1\/\d+\]/); // nothing measured
  }, 90_000);
});

const outputCases = names.flatMap((name) => CASES[name]!.outputs.map((flag) => [name, flag] as const));

describe.concurrent('every output flag is probed before any work: exit 2 naming it', () => {
  test.each(outputCases)('%s %s', async (name, flag) => {
    const run = await runCli([name, ...CASES[name]!.args, flag, UNDER_A_FILE], { timeoutMs: 60_000 });
    expect(problemsWithOneLineError(run), run.stderr).toEqual([]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`error: ${flag} ${UNDER_A_FILE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write`));
    expect(run.stderr).not.toMatch(/\[1\/\d+\]/);
  }, 90_000);
});

describe('the frame itself (in process, a command declared here)', () => {
  function fakeProgram(cleanups: string[]): Command {
    const fake = defineCommand<{ out?: string }>({
      name: 'fake',
      description: 'waits for a stop signal',
      build: (command) => command.argument('<x>').option('-o, --out <file>'),
      outputs: (flags) => (flags.out === undefined ? [] : [{ flag: '--out', path: flags.out, kind: 'file' }]),
      onStop: 'stopping the fake',
      async run({ signal, defer }) {
        defer(() => void cleanups.push('deferred'));
        if (!signal.aborted) await once(signal, 'abort');
        return 0;
      },
    });
    return new Command('inferbench').exitOverride().addCommand(fake.make());
  }

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s ends the command with exit %i, cleanups run, the handlers are gone after', async (signal, code) => {
    const cleanups: string[] = [];
    const before = process.listenerCount(signal);
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const parsing = fakeProgram(cleanups).parseAsync(['node', 'inferbench', 'fake', 'x']);
      await new Promise((r) => setTimeout(r, 20));
      process.emit(signal, signal);
      await parsing;
      expect(process.exitCode).toBe(code);
    } finally {
      process.exitCode = undefined;
      process.stderr.write = stderr;
    }
    expect(cleanups).toEqual(['deferred']);
    expect(process.listenerCount(signal)).toBe(before);
  });

  test('an unwritable output is refused before run() starts; an extra argument too', async () => {
    const out = join(dir, 'fake-dir');
    mkdirSync(out, { recursive: true });
    await expect(fakeProgram([]).parseAsync(['node', 'inferbench', 'fake', 'x', '-o', out])).rejects.toThrow(/--out .*fake-dir: cannot write it: .* is a directory/);
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await expect(fakeProgram([]).parseAsync(['node', 'inferbench', 'fake', 'x', 'y'])).rejects.toThrow(/too many arguments/);
    } finally {
      process.stderr.write = stderr;
    }
  });
});
