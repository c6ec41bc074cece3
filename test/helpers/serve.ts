// `inferbench serve` in its own process, as a user starts it, for tests that need a live endpoint:
// resolves once it has printed its URLs (the TF Serving line comes last), rejects if it exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface Served {
  child: ChildProcess;
  /** Every URL it printed, in order: KServe v2 REST, then gRPC (unless --no-grpc), then TF Serving REST. */
  urls: string[];
  rest: string;
  /** '' with --no-grpc. */
  grpc: string;
  stderr: () => string;
}

export function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!stdout.includes('TF Serving REST')) return;
      clearTimeout(timer);
      const lines = stdout.trim().split('\n');
      const url = (label: string): string => lines.find((line) => line.startsWith(label))?.split(/\s+/).pop() ?? '';
      resolve({ child, urls: lines.filter((line) => /:\/\//.test(line)).map((line) => line.split(/\s+/).pop()!), rest: url('KServe v2 REST'), grpc: url('KServe v2 gRPC'), stderr: () => stderr });
    });
    child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
}
