// The CLI end to end: spawn bin/inferbench (built by `npm test` before vitest runs) and check
// what a user and a CI pipeline see: stdout, stderr, exit code, files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateReport } from '../../src/report/validate.js';
import type { Report } from '../../src/types.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(process.cwd(), 'bin', 'inferbench');
const BOUNDS = ['-n', '40', '-w', '3', '-t', '1'];
/** Most tests are about measuring, not analysing: they skip the per-operator pass (on by default). */
const QUICK = [...BOUNDS, '--no-op-profile'];

function inferbench(args: string[], options: { env?: Record<string, string>; onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'inferbench-cli-'));

function expectOneLineError(run: Run, code: number, message: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
}

describe('conventions', () => {
  test('--help lists commands and exit codes; profile --help has examples', async () => {
    const top = await inferbench(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('profile');
    expect(top.stdout).toContain('Exit codes:');
    const sub = await inferbench(['profile', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Examples:');
    expect(sub.stdout).toContain('--graph-opt');
  });

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const run = await inferbench(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  test('devices lists cpu as available and says why cuda is not', async () => {
    const run = await inferbench(['devices', '--json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { devices: { device: string; available: boolean; detail: string }[]; gpuNote?: string };
    expect(listed.devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    expect(listed.devices.find((d) => d.device === 'cuda')?.detail).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });
});

describe('profile', () => {
  test('--json prints only a schema-valid report on stdout and writes json + md atomically', async () => {
    const out = tempDir();
    const run = await inferbench(['profile', 'fixtures/cnn.onnx', ...QUICK, '--json', '--out', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(validateReport(report)).toEqual({ valid: true });
    expect(report.command.argv).toContain('--json');
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    expect(files.map((f) => f.split('.').pop())).toEqual(['json', 'md']);
    const saved = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as Report;
    expect(saved.trials[0]?.status).toBe('ok');
    expect(readFileSync(join(out, files[1]!), 'utf8')).toContain('| inference |');
    expect(run.stderr).toContain('report written:');
  });

  test('console output without a TTY or with NO_COLOR has no escape codes', async () => {
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', ...QUICK, '--no-save'], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('inference');
    expect(run.stdout + run.stderr).not.toContain('\x1b[');
  });

  test('--quiet keeps stderr free of progress and info', async () => {
    const run = await inferbench(['-q', 'profile', 'fixtures/mlp.onnx', ...QUICK, '--no-save']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('errors: one line, documented exit code, no stack', () => {
  test('missing model → 3', async () => {
    expectOneLineError(await inferbench(['profile', 'fixtures/missing.onnx']), 3, /^error: model not found: fixtures\/missing.onnx\nhint: /);
  });

  test('truncated model → 3', async () => {
    const path = join(tempDir(), 'broken.onnx');
    writeFileSync(path, readFileSync('fixtures/cnn.onnx').subarray(0, 4000));
    expectOneLineError(await inferbench(['profile', path]), 3, /^error: .*is not a valid ONNX model: protobuf decode failed/);
  });

  test('not an ONNX path → 3', async () => {
    expectOneLineError(await inferbench(['profile', 'README.md']), 3, /^error: cannot tell the runtime/);
  });

  test.each([
    [['--threads', 'abc'], /--threads 'abc' is not a whole number/],
    [['--graph-opt', 'fast'], /argument 'fast' is invalid/],
    [['-n', '10', '--duration', '1s'], /cannot be combined/],
    [['--format', 'xml'], /unknown report format 'xml'/],
    [['--warmup', '2 seconds'], /is not a duration/],
    [['--shape', 'x'], /--shape 'x'/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('usage error %j → 2', async (flags, message) => {
    expectOneLineError(await inferbench(['profile', 'fixtures/mlp.onnx', ...flags]), 2, message);
  });

  test('an unresolvable dim → 2, naming the input and the flag', async () => {
    const run = await inferbench(['profile', 'fixtures/types.onnx', '--no-save']);
    expectOneLineError(run, 2, /error: input 'anon'.*\nhint: .*--shape anon=/);
  });

  test('inputs the runtime rejects → 4, naming the input, dims and flag; the report is still written', async () => {
    const out = tempDir();
    const run = await inferbench(['profile', 'fixtures/div32.onnx', '--shape', 'image=1x3x50x40', ...QUICK, '--out', out, '-f', 'json']);
    expectOneLineError(run, 4, /error: .*the runtime rejected the inputs: .*image float32\[1x3x50x40\]/);
    expect(run.stderr).toMatch(/hint: set shapes with --shape image=/);
    const saved = JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), 'utf8')) as Report;
    expect(saved.trials[0]?.status).toBe('failed');
  });

  test('an unavailable device → 4 with the reason', async () => {
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '--device', 'cuda', '--no-save']);
    expectOneLineError(run, 4, /error: .*device cuda unavailable: /);
  });
});

describe('sweeps', () => {
  test('--dry-run prints the plan and runs nothing', async () => {
    const run = await inferbench(['profile', 'fixtures/cnn.onnx', '--batch', '1..8:x2', '--precision', 'fp32,int8', '--device', 'cpu,cuda', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('16 trials planned for fixtures/cnn.onnx');
    const json = await inferbench(['profile', 'fixtures/cnn.onnx', '--batch', '1,2', '--dry-run', '--json']);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(2);
  });

  test('a sweep shows the sweep table; a failed device does not stop it', async () => {
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '--device', 'cuda,cpu', '--batch', '1,4', ...QUICK, '--no-save', '--no-sample']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Sweep: 4 trials');
    // the plan comes first on stderr, then the trials
    expect(run.stderr.indexOf('4 trials planned for fixtures/mlp.onnx')).toBeGreaterThanOrEqual(0);
    expect(run.stderr.indexOf('4 trials planned')).toBeLessThan(run.stderr.indexOf('[1/4]'));
    expect(run.stderr).toContain('[4/4]');
    expect(run.stderr).toMatch(/skipped: device cuda unavailable/);
  });

  test('a violated budget exits 1 and the report names the best configuration within it', async () => {
    const out = tempDir();
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '--batch', '1,8', ...QUICK, '--budget', 'p50<=1us', '--budget', 'throughput>=1/s', '-f', 'json', '--out', out, '--no-sample']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('budget violated: p50<=1us');
    expect(run.stdout).toContain('no trial meets every budget');
    const saved = JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), 'utf8')) as Report;
    expect(saved.budget?.best).toBeNull();
    expect(saved.budget?.checks).toHaveLength(4);
  });

  test('a met budget exits 0 and names the best trial', async () => {
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '--batch', '1,8', ...QUICK, '--budget', 'throughput>=1/s', '--no-save', '--no-sample']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/best within budget \(throughput, paired speed-up\): cpu fp32 batch=(1|8)/);
  });

  test('an inconclusive budget warns and exits 0; --fail-on-inconclusive exits 1', async () => {
    // 20 samples can neither show a p99 within a minute (LoadGen needs 459) nor beyond it.
    const args = ['profile', 'fixtures/mlp.onnx', '-n', '20', '-w', '5', '--no-op-profile', '--budget', 'p99<=60s', '--budget-time-cap', '0', '--no-save', '--no-sample'];
    const lenient = await inferbench(args);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('warning: budget inconclusive: p99<=60s');
    expect(lenient.stderr).toContain('439 more within it would pass');
    const strict = await inferbench([...args, '--fail-on-inconclusive']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error: budget inconclusive: p99<=60s');
  });

  test('an undecided p99 budget measures on until LoadGen\'s rule decides it', async () => {
    const out = tempDir();
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '-n', '20', '-w', '5', '--no-op-profile', '--budget', 'p99<=60s', '-f', 'json', '--out', out, '--no-sample']);
    expect(run.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), 'utf8')) as Report;
    const trial = saved.trials[0]!;
    expect(trial.status === 'ok' && trial.measure.extension).toMatchObject({ outcome: 'decided' });
    expect(trial.status === 'ok' && trial.measure.iterations).toBeGreaterThanOrEqual(459);
    expect(saved.budget?.checks[0]).toMatchObject({ verdict: 'pass', samples: { over: 0 } });
  });

  test('by default: operator table, roofline and bottleneck; the first run on a machine calibrates and says so; --no-op-profile skips it', async () => {
    const env = { XDG_CACHE_HOME: tempDir() }; // a machine that has never calibrated
    const first = await inferbench(['profile', 'fixtures/cnn.onnx', ...BOUNDS, '--no-save'], { env });
    expect(first.code).toBe(0);
    // One id per trial: the progress line names the batch that ran, as the tables do.
    expect(first.stderr).toContain('[1/1] cpu fp32 batch=1 threads=1\n');
    expect(first.stdout).toContain('Trial cpu fp32 batch=1 threads=1');
    expect(first.stderr).toContain('calibrating cpu peaks for the roofline (first run on this machine');
    expect(first.stdout).toContain('nodes per provider: CPUExecutionProvider');
    expect(first.stdout).toContain('Operators');
    expect(first.stdout.replace(/\u001b\[\d+m/g, '')).toMatch(/Bottleneck {2}(cpu|memory)-bound \(confidence \d+%\)/);
    const second = await inferbench(['profile', 'fixtures/cnn.onnx', ...BOUNDS, '--no-save'], { env });
    expect(second.stderr).not.toContain('calibrating');
    expect(second.stdout).toContain('Operators');
    const skipped = await inferbench(['profile', 'fixtures/cnn.onnx', ...BOUNDS, '--no-op-profile', '--no-save'], { env: { XDG_CACHE_HOME: tempDir() } });
    expect(skipped.stderr).not.toContain('calibrating');
    expect(skipped.stdout).not.toContain('Operators');
  }, 180_000); // three runs and a calibration: a few seconds each on a quiet machine, far more on a loaded one

  test('calibrate measures once and then answers from its cache', async () => {
    const cache = join(tempDir(), 'calibration.json');
    const first = await inferbench(['calibrate', '--cache', cache, '-t', '1', '--json']);
    expect(first.code).toBe(0);
    const measured = JSON.parse(first.stdout) as { gflops: number; gbps: number; fromCache: boolean };
    expect(measured.gflops).toBeGreaterThan(0);
    expect(measured.fromCache).toBe(false);
    const second = await inferbench(['calibrate', '--cache', cache, '-t', '1']);
    expect(second.stdout).toContain('from cache');
  });
});

describe('Ctrl-C', () => {
  test('SIGINT mid-measurement writes the partial report and exits 130', async () => {
    const out = tempDir();
    let sent = false;
    const run = await inferbench(['profile', 'fixtures/mlp.onnx', '-w', '3', '--duration', '60s', '--out', out, '-f', 'json'], {
      onStderr: (text, child) => {
        if (!sent && text.includes('[1/1]')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted');
    const saved = JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), 'utf8')) as Report;
    expect(saved.interrupted).toBe(true);
    expect(saved.trials[0]).toMatchObject({ status: 'ok', measure: { stopReason: 'interrupted' } });
    expect(validateReport(saved)).toEqual({ valid: true });
  });
});
