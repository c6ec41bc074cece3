// `inferbench serve`: parse the flags, start the server, print where it listens, wait for a stop
// signal, and let the requests in flight finish. Logs go to stderr; the endpoint lines to stdout.
import { once } from 'node:events';
import { ExitCode, InferbenchError } from '../errors.js';
import type { BatchingPolicy } from '../model/service.js';
import { OPTION_DECLARATIONS, type OptionDeclaration } from '../options/declarations.js';
import { parseDurationMs, parsePositiveInt } from '../options/parse.js';
import type { Terminal } from './terminal.js';

export interface ServeFlags {
  port: string;
  grpcPort: string;
  grpc: boolean;
  name?: string;
  host: string;
  maxBody: string;
  requestTimeout: string;
  device: string;
  threads?: string;
  instances: string;
  maxBatch: string;
  maxDelay: string;
  batching: string;
  queueLimit?: string;
  logRequests: boolean;
}

/** The batching flags mean what profile's do: the same parsers (options/declarations.ts). */
function declared<T>(key: string, raw: string): T {
  const declaration = (OPTION_DECLARATIONS as readonly OptionDeclaration[]).find((d) => d.key === key && d.parse);
  if (declaration?.choices && !declaration.choices.includes(raw)) throw new InferbenchError('usage', `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} '${raw}' is not one of ${declaration.choices.join(', ')}`);
  return declaration!.parse!(raw, undefined) as T;
}

function port(raw: string, flag: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) throw new InferbenchError('usage', `${flag} '${raw}' is not a port (0–65535)`, `e.g. ${flag} 8000, or 0 for any free port`);
  return value;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$/i;
const SCALE: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/** '64MB' → bytes (KB/MB/GB are 2^10/2^20/2^30 here, as KiB/MiB/GiB). */
export function parseSize(raw: string, flag: string): number {
  const match = SIZE.exec(raw.trim());
  const bytes = match ? Math.floor(Number(match[1]) * SCALE[(match[2] ?? 'b').charAt(0).toLowerCase()]!) : NaN;
  if (!(bytes >= 1)) throw new InferbenchError('usage', `${flag} '${raw}' is not a size`, 'e.g. 64MB, 512KB, 1GB');
  return bytes;
}

export async function runServe(model: string, flags: ServeFlags, terminal: Terminal, signal: AbortSignal): Promise<number> {
  const options = {
    model,
    ...(flags.name !== undefined && { name: flags.name }),
    host: flags.host,
    port: port(flags.port, '--port'),
    grpcPort: flags.grpc ? port(flags.grpcPort, '--grpc-port') : null,
    maxBodyBytes: parseSize(flags.maxBody, '--max-body'),
    requestTimeoutMs: parseDurationMs(flags.requestTimeout, '--request-timeout'),
    session: { device: flags.device, intraOpThreads: flags.threads === undefined ? null : parsePositiveInt(flags.threads, '--threads') },
    instances: declared<number>('instances', flags.instances),
    maxBatch: declared<number>('maxBatch', flags.maxBatch),
    maxDelayMs: declared<number>('maxDelayMs', flags.maxDelay),
    batching: declared<BatchingPolicy>('batching', flags.batching),
    queueLimit: flags.queueLimit === undefined ? null : declared<number>('queueLimit', flags.queueLimit),
    log: (line: string) => terminal.warn(line),
    logRequests: flags.logRequests,
  };
  const { startServer } = await import('../server/serve.js');
  const server = await startServer(options);
  const batching = options.maxBatch > 1 ? `dynamic batching up to ${options.maxBatch} items, ${options.maxDelayMs} ms delay (${options.batching})` : 'no batching';
  terminal.info(`serving ${model} as '${server.name}' on ${server.backend}: ${options.instances} instance${options.instances === 1 ? '' : 's'}, ${batching}`);
  process.stdout.write([
    `KServe v2 REST  ${server.httpUrl}/v2/models/${server.name}`,
    ...(server.grpcAddress ? [`KServe v2 gRPC  grpc://${server.grpcAddress}/v2/models/${server.name}`] : []),
    `TF Serving REST ${server.httpUrl}/v1/models/${server.name}`,
  ].join('\n') + '\n');
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    terminal.warn(`warning: listening on ${options.host}: anyone who can reach it can run the model (no authentication)`);
  }
  terminal.info('stop with Ctrl-C or SIGTERM (requests in flight finish)');
  if (!signal.aborted) await once(signal, 'abort');
  await server.close();
  return ExitCode.ok;
}
