// `inferbench serve MODEL`: a small, real inference server over the serving layer — KServe v2
// REST and gRPC, TF Serving REST — meant as a measuring instrument (ARCHITECTURE.md, convention
// 19): loopback by default, bounded bodies and request times, a 4xx for every malformed request,
// and a clean stop (in-flight requests finish). Never prints: log lines go to `options.log`.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname } from 'node:path';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import type { SessionOptions } from '../adapters/adapter.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { BatchingPolicy } from '../model/service.js';
import type { ModelInfo } from '../model/spec.js';
import { ServingBackend } from './backend.js';
import { startGrpcServer } from './grpc-server.js';
import { httpHandler, type ServeContext } from './http-server.js';

export interface ServeOptions {
  model: string;
  /** The model's name in URLs; default: the file's stem (fixtures/cnn.onnx → cnn). */
  name?: string;
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** HTTP port (KServe v2 REST and TF Serving REST); 0 = any free port. Default 8000. */
  port?: number;
  /** gRPC port; 0 = any free port, null = no gRPC. Default 8001. */
  grpcPort?: number | null;
  /** Largest request body (and gRPC message), bytes. Default 64 MiB. */
  maxBodyBytes?: number;
  /** A request must arrive whole within this time (slow or stalled clients), ms. Default 30 s. */
  requestTimeoutMs?: number;
  session?: Partial<SessionOptions>;
  instances?: number;
  maxBatch?: number;
  maxDelayMs?: number;
  batching?: BatchingPolicy;
  queueLimit?: number | null;
  /** Where log lines go: a summary at most once a minute, or every request with `logRequests`. */
  log?: (line: string) => void;
  logRequests?: boolean;
}

export interface RunningServer {
  name: string;
  version: string;
  info: ModelInfo;
  backend: string;
  /** http://host:port */
  httpUrl: string;
  /** host:port of the gRPC endpoint, or null. */
  grpcAddress: string | null;
  /** Stops taking requests, lets in-flight ones finish, then stops the model instances. */
  close(): Promise<void>;
}

const MODEL_VERSION = '1';
const LOG_INTERVAL_MS = 60_000;

/** The name a model is served under: its file's stem (a TF.js model.json: its folder's name). */
export function defaultModelName(model: string): string {
  const file = basename(model.replace(/\/+$/, ''));
  const stem = file === 'model.json' ? basename(dirname(model)) : file.slice(0, file.length - extname(file).length) || file;
  return stem.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const name = options.name ?? defaultModelName(options.model);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new InferbenchError('usage', `--name '${name}': a model name is letters, digits, '_', '.' and '-'`, 'it appears in URLs: /v2/models/NAME');
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  let draining = false;
  let inFlight = 0;
  const window = { answered: 0, failed: 0, totalMs: 0 };
  const ctx: ServeContext = {
    name,
    version: MODEL_VERSION,
    backend: null,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 2 ** 20,
    draining: () => draining,
    onAnswer(status, ms) {
      window.answered++;
      window.totalMs += ms;
      if (status >= 400) window.failed++;
      if (options.logRequests) log(`${new Date().toISOString()} ${status} ${ms.toFixed(2)} ms`);
    },
  };
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  // Node checks for stalled requests every connectionsCheckingInterval (30 s by default): often
  // enough that a client stalled mid-body is closed near the request timeout, not 30 s later.
  const http = createServer({ requestTimeout, headersTimeout: Math.min(requestTimeout, 10_000), connectionsCheckingInterval: Math.min(1000, Math.max(50, requestTimeout / 4)) }, httpHandler(ctx));
  http.on('request', (_req, res) => {
    inFlight++;
    res.on('close', () => inFlight--); // after the last byte was handed to the socket, or on abort
  });
  // A client that misbehaves at the TCP or HTTP-framing level gets a closed connection (Node
  // answers 400/408/431 itself where it can); it never reaches a handler or the process.
  http.on('clientError', (_error, socket) => socket.destroy());
  http.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
  let grpc: { server: GrpcServer; port: number } | null = null;
  try {
    await listen(http, host, options.port ?? 8000);
    const grpcPort = options.grpcPort === undefined ? 8001 : options.grpcPort;
    if (grpcPort !== null) grpc = await startGrpcServer(ctx, host, grpcPort).catch((error: unknown) => { throw portError('gRPC', host, grpcPort, error); });
    // The ports first: one in use fails at once, before the model loads.
    ctx.backend = await ServingBackend.open({
      model: options.model,
      session: { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all', ...options.session },
      instances: options.instances ?? 1,
      maxBatch: options.maxBatch ?? 1,
      maxDelayMs: options.maxDelayMs ?? 0,
      batching: options.batching ?? 'triton',
      queueLimit: options.queueLimit ?? null,
    }, name, MODEL_VERSION);
  } catch (error) {
    http.close();
    grpc?.server.forceShutdown();
    throw error;
  }
  const backend = ctx.backend;
  const httpPort = (http.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const summary = setInterval(() => {
    if (window.answered === 0) return;
    log(`${new Date().toISOString()} ${window.answered} requests in the last minute (${window.failed} failed), mean ${(window.totalMs / window.answered).toFixed(2)} ms in the server`);
    Object.assign(window, { answered: 0, failed: 0, totalMs: 0 });
  }, LOG_INTERVAL_MS);
  summary.unref();
  return {
    name,
    version: MODEL_VERSION,
    info: backend.info,
    backend: backend.backend,
    httpUrl: `http://${shown}:${httpPort}`,
    grpcAddress: grpc ? `${shown}:${grpc.port}` : null,
    async close() {
      draining = true;
      clearInterval(summary);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
      http.closeAllConnections();
      await closed;
      if (grpc) await new Promise<void>((resolve) => grpc!.server.tryShutdown(() => resolve()));
      await backend.close();
    },
  };
}

function listen(server: HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(portError('HTTP', host, port, error)));
    server.listen(port, host, () => resolve());
  });
}

function portError(what: string, host: string, port: number, error: unknown): InferbenchError {
  const message = messageOf(error);
  const inUse = /EADDRINUSE|address already in use|No address added/i.test(message);
  return new InferbenchError('usage', inUse ? `${what} port ${port} on ${host} is in use` : `cannot listen for ${what} on ${host}:${port}: ${message}`, inUse ? `stop what uses it, or pass ${what === 'HTTP' ? '--port' : '--grpc-port'} with another port (0 = any free port)` : 'check --host (an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)');
}
