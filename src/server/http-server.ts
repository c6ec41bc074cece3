// The HTTP front end of `inferbench serve`: KServe v2 REST (health, server and model metadata,
// infer with JSON and binary tensors, the statistics extension) and TF Serving REST (status,
// metadata, predict). Every malformed request gets a 4xx and `{"error": "..."}`; nothing a
// client sends can throw out of a handler (the fuzz test in test/server/ checks it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostTensor } from '../model/spec.js';
import { modelMetadataOf } from '../protocols/kserve-v2/datatypes.js';
import { bodyHeaders, decodeInferRequest, encodeInferResponse, HEADER_LENGTH, type EncodedBody } from '../protocols/kserve-v2/rest.js';
import { isProtocolError, ProtocolError } from '../protocols/protocol-error.js';
import { decodePredictRequest, encodePredictResponse, tfMetadataOf, tfStatusOf } from '../protocols/tfserving/rest.js';
import { TOOL_VERSION } from '../version.js';
import type { ServingBackend, Served } from './backend.js';

export interface ServeContext {
  name: string;
  version: string;
  /** Set once the model's instances are up; until then requests get 503. */
  backend: ServingBackend | null;
  maxBodyBytes: number;
  /** True once a stop signal came: new work is refused with 503, in-flight requests finish. */
  draining(): boolean;
  /** One answered request, for the log (status, ms). */
  onAnswer(status: number, ms: number): void;
}

export const SERVER_EXTENSIONS = ['binary_tensor_data', 'statistics'];

/** /v2/models/NAME[/versions/V][/rest] and /v1/models/NAME[/versions/V][/rest or :verb]. */
const V2_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer|stats))?$/;
const V1_MODEL = /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+))?(?:\/(metadata)|:(predict|classify|regress))?$/;

export function httpHandler(ctx: ServeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    route(ctx, req, res).catch((error: unknown) => {
      const status = isProtocolError(error) ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, status, { error: message });
    }).finally(() => ctx.onAnswer(res.statusCode, performance.now() - started));
  };
}

async function route(ctx: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  const method = req.method ?? 'GET';
  if (path === '/v2' || path.startsWith('/v2/health/')) allow(method, 'GET');
  if (path === '/v2/health/live') return sendEmpty(res, 200);
  // Stopping: what arrived before finishes; what arrives now is refused.
  if (ctx.draining() && path !== '/v2/health/ready') throw new ProtocolError(503, 'the server is shutting down');
  if (path === '/v2/health/ready') return sendEmpty(res, ctx.draining() || !ctx.backend ? 503 : 200);
  if (path === '/v2') return sendJson(res, 200, { name: 'inferbench', version: TOOL_VERSION, extensions: SERVER_EXTENSIONS });
  if (path === '/v2/models/stats' && method === 'GET') return sendJson(res, 200, { model_stats: [backendOf(ctx).stats] });
  const v2 = V2_MODEL.exec(path);
  if (v2) {
    const [, name, version, verb] = v2;
    checkModel(ctx, decodeURIComponent(name!), version && decodeURIComponent(version));
    if (verb === 'infer') return infer(ctx, req, res, method);
    allow(method, 'GET');
    if (verb === 'ready') return sendEmpty(res, ctx.draining() ? 503 : 200);
    if (verb === 'stats') return sendJson(res, 200, { model_stats: [backendOf(ctx).stats] });
    return sendJson(res, 200, modelMetadataOf(ctx.name, ctx.version, backendOf(ctx).info));
  }
  const v1 = V1_MODEL.exec(path);
  if (v1) {
    const [, name, version, metadata, verb] = v1;
    checkModel(ctx, decodeURIComponent(name!), version && decodeURIComponent(version));
    if (verb === 'predict') return predict(ctx, req, res, method);
    if (verb) throw new ProtocolError(404, `:${verb} is not served: this server runs a model, not a TF Serving classify/regress signature (use :predict)`);
    allow(method, 'GET');
    return sendJson(res, 200, metadata ? tfMetadataOf(ctx.name, ctx.version, backendOf(ctx).info) : tfStatusOf(ctx.version));
  }
  throw new ProtocolError(404, `no such endpoint: ${method} ${path.slice(0, 200)} (KServe v2 under /v2, TF Serving under /v1/models/${ctx.name})`);
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://server').pathname.replace(/\/+$/, '') || '/';
  } catch {
    throw new ProtocolError(400, 'the request target is not a URL path');
  }
}

function checkModel(ctx: ServeContext, name: string, version: string | undefined): void {
  if (name !== ctx.name) throw new ProtocolError(404, `unknown model '${name.slice(0, 100)}': this server serves '${ctx.name}'`);
  if (version !== undefined && version !== ctx.version) throw new ProtocolError(404, `model '${name}' has no version '${version.slice(0, 40)}' (it has version ${ctx.version})`);
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new ProtocolError(405, `method ${method} not allowed here (use ${expected})`);
}

async function infer(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  allow(method, 'POST');
  const body = await readBody(req, ctx.maxBodyBytes);
  const header = req.headers[HEADER_LENGTH];
  const request = decodeInferRequest(body, Array.isArray(header) ? header[0] : header, backendOf(ctx).info);
  const served = await run(ctx, request.inputs);
  const wanted = request.outputs;
  const outputs = wanted ? wanted.map((w) => served.outputs.find((o) => o.name === w.name)!).filter(Boolean) : served.outputs;
  const binary = (name: string): boolean => wanted?.find((w) => w.name === name)?.binary ?? request.binaryOutput;
  const head = { model_name: ctx.name, model_version: ctx.version, ...(request.id !== undefined && { id: request.id }) };
  send(res, 200, encodeInferResponse(head, outputs, binary));
}

async function predict(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  allow(method, 'POST');
  const body = await readBody(req, ctx.maxBodyBytes);
  const { inputs, form } = decodePredictRequest(body, backendOf(ctx).info.inputs);
  const served = await run(ctx, inputs);
  const text = Buffer.from(encodePredictResponse(served.outputs, form));
  send(res, 200, { chunks: [text], jsonLength: null });
}

/** The backend, or a 503 while the model loads. */
export function backendOf(ctx: ServeContext): ServingBackend {
  if (!ctx.backend) throw new ProtocolError(503, 'the model is still loading');
  return ctx.backend;
}

/** One inference through the backend, counted in the statistics extension. */
export async function run(ctx: ServeContext, inputs: HostTensor[]): Promise<Served> {
  const backend = backendOf(ctx);
  const started = performance.now();
  try {
    const served = await backend.infer(inputs);
    backend.record(served, performance.now() - started);
    return served;
  } catch (error) {
    backend.record(null, performance.now() - started);
    throw error;
  }
}

/** The request body, refused with 413 past `limit` bytes (by Content-Length before reading, or as it arrives). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new ProtocolError(400, 'the client closed the connection mid-body')));
  });
}

function tooLarge(limit: number): ProtocolError {
  return new ProtocolError(413, `the body is larger than this server takes (${limit} bytes; serve --max-body)`);
}

function send(res: ServerResponse, status: number, body: EncodedBody): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, bodyHeaders(body));
  // Head, JSON and binary parts in one TCP write (see adapters/remote-http.ts: Nagle + delayed ACK).
  res.cork();
  for (const chunk of body.chunks) res.write(chunk);
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  // A refused body may still be arriving: answer and close rather than read it all.
  if (status === 413) res.setHeader('connection', 'close');
  send(res, status, { chunks: [Buffer.from(JSON.stringify(value))], jsonLength: null });
}

function sendEmpty(res: ServerResponse, status: number): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}
