// A KServe v2 / Open Inference Protocol REST endpoint as a Session: metadata from
// `GET /v2/models/NAME`, infer with JSON tensors or the binary tensor data extension
// (--encoding binary), and the statistics extension read before and after the measured phase.
import { InferbenchError } from '../errors.js';
import type { EndpointInfo } from '../model/trial.js';
import type { HostTensor, ModelInfo } from '../model/spec.js';
import { isProtocolError } from '../protocols/protocol-error.js';
import type { RemoteClientOptions, Session } from './adapter.js';
import { inferError, openError, remoteInfo, responseError, safeJson, serverSeen } from './remote-common.js';
import { HttpClient, type HttpAnswer } from './remote-http.js';
import { modelPath, type RemoteTarget } from './remote-url.js';

async function getJson(client: HttpClient, target: RemoteTarget, path: string, what: string): Promise<{ json: unknown; raw: Buffer }> {
  const answer = await client.request('GET', path, null).catch((error: unknown) => {
    throw error instanceof InferbenchError ? new InferbenchError('model-not-found', error.message, 'check the URL, and that the server is running') : error;
  });
  if (answer.status !== 200) throw openError(target, what, answer);
  try {
    return { json: JSON.parse(answer.body.toString('utf8')), raw: answer.body };
  } catch {
    throw openError(target, what, answer, `GET ${path} did not answer JSON`);
  }
}

export async function openKServeSession(target: RemoteTarget, options: RemoteClientOptions): Promise<Session> {
  const { tensorSpecsOf } = await import('../protocols/kserve-v2/datatypes.js');
  const { modelStatsOf, statsDelta } = await import('../protocols/kserve-v2/stats.js');
  const rest = await import('../protocols/kserve-v2/rest.js');
  if (options.encoding === 'columnar') throw new InferbenchError('usage', '--encoding columnar is TF Serving\'s form; a KServe v2 endpoint takes json or binary', 'use --encoding json or --encoding binary');
  const binary = options.encoding === 'binary';
  const client = new HttpClient(target.origin, options);
  const base = modelPath(target);
  let info: ModelInfo;
  let statsUrl: string | null = null;
  let statsClient: HttpClient | undefined;
  try {
    const { json, raw } = await getJson(client, target, base, `GET ${target.origin}/v2/models/${target.model}`);
    const meta = json as { inputs?: unknown; outputs?: unknown; platform?: unknown };
    try {
      info = remoteInfo(target, raw, tensorSpecsOf(meta.inputs, 'metadata inputs'), tensorSpecsOf(meta.outputs, 'metadata outputs'), typeof meta.platform === 'string' ? meta.platform : undefined);
    } catch (error) {
      throw openError(target, `GET ${base}`, null, isProtocolError(error) ? error.message : String(error));
    }
    const server = await client.request('GET', '/v2', null).catch(() => null);
    const described = server?.status === 200 ? (safeJson(server.body) as { name?: unknown; version?: unknown; extensions?: unknown } | null) : null;
    if (described && typeof described.name === 'string') serverSeen.version = `${described.name} ${String(described.version ?? '')}`.trim();
    const extensions = Array.isArray(described?.extensions) ? described.extensions : null;
    if (binary && extensions && !extensions.includes('binary_tensor_data')) {
      throw new InferbenchError('usage', `${target.display}: the server does not list the binary_tensor_data extension`, 'use --encoding json');
    }
    const stats = await client.request('GET', `${base}/stats`, null).catch(() => null);
    if (stats?.status === 200 && modelStatsOf(safeJson(stats.body), target.model)) statsUrl = `${base}/stats`;
  } catch (error) {
    client.close();
    throw error;
  }
  const endpoint: EndpointInfo = { protocol: 'kserve-v2', url: target.display, encoding: binary ? 'binary' : 'json' };
  return {
    info,
    backend: `KServe v2 REST, ${binary ? 'binary tensors' : 'JSON tensors'} (${target.display})`,
    endpoint,
    prepare: (inputs: readonly HostTensor[]) => {
      const body = rest.encodeInferRequest(inputs, { binary });
      return { chunks: body.chunks, headers: rest.bodyHeaders(body) };
    },
    async run(feeds) {
      const { chunks, headers } = feeds as { chunks: Buffer[]; headers: Record<string, string> };
      const answer = await client.request('POST', `${base}/infer`, chunks, headers);
      if (answer.status !== 200) throw inferError(target, answer);
      return answer;
    },
    collect(outputs) {
      const answer = outputs as HttpAnswer;
      const header = answer.headers[rest.HEADER_LENGTH];
      try {
        return rest.decodeInferResponse(answer.body, Array.isArray(header) ? header[0] : header);
      } catch (error) {
        throw responseError(target, error);
      }
    },
    async serverStats() {
      if (!statsUrl) return null;
      // Its own connection: the infer connection's next request must not wait behind it.
      statsClient ??= new HttpClient(target.origin, options);
      const answer = await statsClient.request('GET', statsUrl, null).catch(() => null);
      return answer?.status === 200 ? modelStatsOf(safeJson(answer.body), target.model) : null;
    },
    serverStatsDelta: (before, after) => (before && after ? statsDelta(before as never, after as never) : null),
    close: async () => {
      client.close();
      statsClient?.close();
    },
  };
}

