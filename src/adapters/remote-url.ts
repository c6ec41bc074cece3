// Which endpoint a URL names (docs/endpoints.md, "URLs"):
//   http(s)://HOST:PORT/v2/models/NAME[/versions/V][/infer]     KServe v2 / Open Inference Protocol REST
//   grpc(s)://HOST:PORT/v2/models/NAME[/versions/V] or /NAME     the same protocol over gRPC
//   http(s)://HOST:PORT/v1/models/NAME[/versions/V][:predict]   TensorFlow Serving REST
import { InferbenchError } from '../errors.js';
import type { EndpointInfo } from '../model/trial.js';

export interface RemoteTarget {
  protocol: EndpointInfo['protocol'];
  /** http(s)://host:port for REST; host:port for gRPC. */
  origin: string;
  tls: boolean;
  model: string;
  /** null: the server's default version. */
  version: string | null;
  /** The URL to show: as given, without credentials, query or fragment. */
  display: string;
}

const SCHEME = /^(https?|grpcs?):\/\//i;

/** Whether a "model" argument is an endpoint URL rather than a file path. */
export function isRemoteTarget(model: string): boolean {
  return SCHEME.test(model);
}

const HINT = 'e.g. http://127.0.0.1:8000/v2/models/NAME (KServe v2), grpc://127.0.0.1:8001/v2/models/NAME, http://127.0.0.1:8501/v1/models/NAME (TF Serving)';

export function parseRemoteTarget(model: string): RemoteTarget {
  let url: URL;
  try {
    url = new URL(model);
  } catch {
    throw new InferbenchError('usage', `'${model}' is not a valid URL`, HINT);
  }
  if (url.username || url.password) {
    throw new InferbenchError('usage', 'credentials in the URL would be written into the report', 'pass them with --header "Authorization: Basic …" or --token (INFERBENCH_TOKEN) instead');
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const tls = scheme.endsWith('s');
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
  const display = `${scheme}://${url.host}${url.pathname.replace(/\/+$/, '')}`;
  const v2 = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/infer)?$/.exec(path);
  if (scheme.startsWith('grpc')) {
    const name = v2 ? v2[1]! : /^\/([^/]+)$/.exec(path)?.[1];
    if (!name) throw new InferbenchError('usage', `${display}: no model name in the gRPC URL`, HINT);
    return { protocol: 'kserve-v2-grpc', origin: url.host, tls, model: name, version: v2?.[2] ?? null, display };
  }
  const origin = `${scheme}://${url.host}`;
  if (v2) return { protocol: 'kserve-v2', origin, tls, model: v2[1]!, version: v2[2] ?? null, display };
  const v1 = /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+))?(?::predict)?$/.exec(path);
  if (v1) return { protocol: 'tfserving', origin, tls, model: v1[1]!, version: v1[2] ?? null, display };
  throw new InferbenchError('usage', `${display}: not a model URL inferbench knows`, HINT);
}

/** The REST path prefix of the model: /v2/models/NAME[/versions/V] or /v1/models/NAME[/versions/V]. */
export function modelPath(target: RemoteTarget): string {
  const root = target.protocol === 'tfserving' ? '/v1/models/' : '/v2/models/';
  return `${root}${encodeURIComponent(target.model)}${target.version ? `/versions/${encodeURIComponent(target.version)}` : ''}`;
}
