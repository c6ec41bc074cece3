// A runtime adapter over a URL: `inferbench profile http://127.0.0.1:8000/v2/models/cnn` measures
// an endpoint with the same loop, stages and statistics as a model file. The model's metadata
// becomes a ModelInfo, so inputs are built as for an ONNX file; the three timed stages are the
// client's: preprocess = serialize (tensors → body), inference = request (send → the response's
// last byte: network + server), postprocess = deserialize (body → tensors).
import type { DeviceStatus, RemoteClientOptions, RuntimeAdapter, Session, SessionOptions } from './adapter.js';
import { serverSeen } from './remote-common.js';
import { isRemoteTarget, parseRemoteTarget } from './remote-url.js';

export const DEFAULT_REMOTE: RemoteClientOptions = { encoding: 'auto', headers: {}, timeoutMs: 30_000, tlsCa: null, insecure: false };

export const remoteAdapter: RuntimeAdapter = {
  runtime: 'remote',
  knownDevices: ['cpu'],
  version: () => serverSeen.version,
  accepts: isRemoteTarget,
  devices: async (): Promise<DeviceStatus[]> => [{ device: 'cpu', available: true, detail: 'a remote endpoint: the server decides where the model runs; this machine runs the client' }],
  precisionUnsupported: async (_device, precision) => (precision === 'fp32' ? null : `a remote endpoint runs the precision it was deployed with; ${precision} cannot be chosen from the client`),
  // The model runs on the server: this machine's CPU is the client's, not the model's.
  onCpu: () => false,
  computeThreads: async () => null,
  async open(path: string, options: SessionOptions): Promise<Session> {
    const target = parseRemoteTarget(path);
    const remote = withToken(options.remote ?? DEFAULT_REMOTE);
    if (target.protocol === 'kserve-v2-grpc') {
      const { openGrpcSession } = await import('./remote-grpc.js');
      return openGrpcSession(target, remote);
    }
    if (target.protocol === 'tfserving') {
      const { openTfServingSession } = await import('./remote-tfserving.js');
      return openTfServingSession(target, remote);
    }
    const { openKServeSession } = await import('./remote-kserve.js');
    return openKServeSession(target, remote);
  },
};

/** INFERBENCH_TOKEN, when no Authorization header is given, as a bearer token. */
function withToken(options: RemoteClientOptions): RemoteClientOptions {
  const token = process.env.INFERBENCH_TOKEN;
  const hasAuth = Object.keys(options.headers).some((h) => h.toLowerCase() === 'authorization');
  return token && !hasAuth ? { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } } : options;
}

