// A local `inferbench serve` in a child process, for `profile MODEL --serve`: its own process (as
// a user would start it), so the server's work never shares the client's event loop. It binds
// 127.0.0.1 on free ports (port 0) and is stopped with SIGTERM by stop(): the caller calls it at
// the end, on failure and after a Ctrl-C (once the trial in flight has ended, so that it ends
// cleanly, not with a closed connection); the last resort kills it when this process exits. It
// runs in its own process group for that reason: a terminal's Ctrl-C goes to the whole
// foreground group and would stop the server under the trial still measuring it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { InferbenchError } from '../errors.js';
import { packagePath } from '../package-paths.js';

const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

export interface ServeChildOptions {
  threads: number | null;
  device: string;
  /** More `serve` flags: the batcher and instances (--max-batch 8 …). */
  serving?: readonly string[];
  /** Aborting stops waiting for the server to start (it is then stopped); a running one is stopped by stop(). */
  signal?: AbortSignal;
}

export interface ServeChild {
  name: string;
  /** http://127.0.0.1:PORT */
  httpUrl: string;
  /** 127.0.0.1:PORT */
  grpcAddress: string;
  /** The command line the server ran with (for the report). */
  argv: string[];
  /** SIGTERM, then wait for it to exit (SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

/** The `inferbench serve` command line the child runs (for the report, also when it fails to start). */
export function serveArgv(model: string, options: ServeChildOptions): string[] {
  return ['serve', model, '--port', '0', '--grpc-port', '0', '--device', options.device, ...(options.threads === null ? [] : ['--threads', String(options.threads)]), ...(options.serving ?? [])];
}

export async function startServeChild(model: string, options: ServeChildOptions): Promise<ServeChild> {
  const args = serveArgv(model, options);
  const child = spawn(process.execPath, [packagePath('bin/inferbench'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killNow = (): void => void child.kill('SIGTERM');
  process.once('exit', killNow);
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(grace);
      }
      process.removeListener('exit', killNow);
    })();
    return stopped;
  };
  try {
    const lines = await endpointLines(child, () => stderr, options.signal);
    const rest = /^KServe v2 REST\s+(http:\/\/\S+)\/v2\/models\/(\S+)$/m.exec(lines);
    const grpc = /^KServe v2 gRPC\s+grpc:\/\/(\S+)\/v2\/models\//m.exec(lines);
    if (!rest || !grpc) throw new InferbenchError('runtime-error', `inferbench serve printed no endpoints: ${lines.trim().slice(0, 300)}`);
    return { name: rest[2]!, httpUrl: rest[1]!, grpcAddress: grpc[1]!, argv: ['inferbench', ...args], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** stdout until the last endpoint line (TF Serving's); an exit or a timeout first is an error with the server's own message. */
function endpointLines(child: ChildProcess, stderr: () => string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    const fail = (why: string): void => {
      cleanup();
      const said = stderr().split('\n').find((l) => l.startsWith('error:'));
      reject(new InferbenchError('runtime-error', `the local server for --serve ${why}${said ? `: ${said.slice(7)}` : ''}`, 'run `inferbench serve MODEL` by itself to see why'));
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      if (/^TF Serving REST .*$/m.test(text)) {
        cleanup();
        resolvePromise(text);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => fail(`exited before it listened (${signal ?? `exit ${code}`})`);
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const onAbort = (): void => fail('was not waited for: the run was stopped');
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
