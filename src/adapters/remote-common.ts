// What the remote sessions share: the ModelInfo of an endpoint, and the one-line errors for a
// metadata request that failed (missing model, refused access, not such a server) and for an
// infer request the server refused or answered with something unreadable.
import { createHash } from 'node:crypto';
import { InferbenchError } from '../errors.js';
import type { ModelInfo, TensorSpec } from '../model/spec.js';
import { isProtocolError } from '../protocols/protocol-error.js';
import type { HttpAnswer } from './remote-http.js';
import type { RemoteTarget } from './remote-url.js';

/** What the last opened server said it is (KServe GET /v2: name and version), for the report's environment. */
export const serverSeen = { version: 'endpoint (the server is described in each trial)' };

/** ModelInfo of a remote model: its URL as path, its metadata's hash as identity. */
export function remoteInfo(target: RemoteTarget, metadata: Buffer | string, inputs: TensorSpec[], outputs: TensorSpec[], producer?: string): ModelInfo {
  return { path: target.display, format: 'remote', sizeBytes: 0, sha256: createHash('sha256').update(metadata).digest('hex'), inputs, outputs, ...(producer && { producer }) };
}

/** A metadata GET that failed: the model is missing, or the URL is not such a server. */
export function openError(target: RemoteTarget, what: string, answer: HttpAnswer | null, detail?: string): InferbenchError {
  const body = answer ? errorText(answer) : '';
  if (answer?.status === 404) {
    return new InferbenchError('model-not-found', `${target.display}: no model '${target.model}' on this server (HTTP 404${body ? `: ${body}` : ''})`, `check the name and version; ${what} lists the served models`);
  }
  if (answer && (answer.status === 401 || answer.status === 403)) {
    return new InferbenchError('model-not-found', `${target.display}: the server refused access (HTTP ${answer.status}${body ? `: ${body}` : ''})`, 'pass credentials with --token or --header "Authorization: …"');
  }
  return new InferbenchError('model-invalid', `${target.display}: not a ${target.protocol === 'tfserving' ? 'TF Serving' : 'KServe v2'} endpoint: ${detail ?? `HTTP ${answer?.status}${body ? `: ${body}` : ''}`}`, `check the URL (${what})`);
}

/** The `error` of a JSON error body, else the start of the body. */
export function errorText(answer: HttpAnswer): string {
  const text = answer.body.toString('utf8', 0, Math.min(answer.body.length, 2000));
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: show its start
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** A server's error answer to an infer request, as the trial's failure; its HTTP status kept for refusedStatus(). */
export function inferError(target: RemoteTarget, answer: HttpAnswer): InferbenchError {
  const error = new InferbenchError('runtime-error', `${target.display}: the server answered HTTP ${answer.status}: ${errorText(answer)}`, answer.status === 400 ? 'the server rejected the inputs: check --shape/--dim against its metadata' : undefined);
  return Object.assign(error, { httpStatus: answer.status });
}

/**
 * Statuses with which a server turns work away that it has no room for: 429 (a rate limit) and
 * 503 (a full queue: Triton's queue policy, `inferbench serve --queue-limit`; also a server
 * shutting down). Under open-loop load such an answer is a dropped request, counted, not a failure.
 * A gRPC session marks its refusals with the HTTP status they stand for (remote-grpc.ts refusalOf).
 */
const REFUSALS = new Set([429, 503]);

/** The HTTP status of an infer request the server refused for want of room, else null. */
export function refusedStatus(error: unknown): number | null {
  const status = (error as { httpStatus?: unknown } | null)?.httpStatus;
  return typeof status === 'number' && REFUSALS.has(status) ? status : null;
}

/** A response the codec cannot read, as the trial's failure. */
export function responseError(target: RemoteTarget, error: unknown): Error {
  if (!isProtocolError(error)) return error as Error;
  return new InferbenchError('runtime-error', `${target.display}: the response is not a valid ${target.protocol} answer: ${error.message}`);
}

export function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
