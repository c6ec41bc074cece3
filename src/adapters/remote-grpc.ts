// A KServe v2 gRPC endpoint (inference.GRPCInferenceService) as a Session. Serialisation is done
// here, in prepare(), with the service's own protobuf encoder, and the call is made with an
// identity serializer: so `serialize` is the protobuf encoding, `request` the HTTP/2 round trip
// and `deserialize` the decoding, as for the REST targets (grpc-js would otherwise encode and
// decode inside the call, hiding both in `request`). Where the server answers ModelStatistics
// (Triton's statistics extension over gRPC; our `serve` does), it is read before and after the
// measured phase, as the REST session reads GET /v2/models/NAME/stats.
import { readFileSync } from 'node:fs';
import type { Client, Metadata, ServiceError } from '@grpc/grpc-js';
import { InferbenchError } from '../errors.js';
import type { HostTensor } from '../model/spec.js';
import { tensorSpecsOf } from '../protocols/kserve-v2/datatypes.js';
import { fromGrpcInferResponse, loadV2Grpc, toGrpcInferRequest, type GrpcInferResponse } from '../protocols/kserve-v2/grpc.js';
import { modelStatsOf, statsDelta, type V2ModelStats } from '../protocols/kserve-v2/stats.js';
import { isProtocolError } from '../protocols/protocol-error.js';
import type { RemoteClientOptions, Session } from './adapter.js';
import { remoteInfo, responseError } from './remote-common.js';
import type { RemoteTarget } from './remote-url.js';

export async function openGrpcSession(target: RemoteTarget, options: RemoteClientOptions): Promise<Session> {
  if (options.encoding !== 'auto') throw new InferbenchError('usage', `--encoding ${options.encoding}: a gRPC endpoint always sends raw_input_contents`, 'leave --encoding out for grpc:// URLs (json/binary are KServe REST\'s, columnar TF Serving\'s)');
  const { grpc, service, Client: V2Client } = await loadV2Grpc();
  const credentials = target.tls
    ? grpc.credentials.createSsl(options.tlsCa ? readFileSync(options.tlsCa) : null, null, null, options.insecure ? { checkServerIdentity: () => undefined } : undefined)
    : grpc.credentials.createInsecure();
  const client = new V2Client(target.origin, credentials, { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(options.headers)) metadata.set(name.toLowerCase(), value);
  const deadline = (): Date => new Date(Date.now() + options.timeoutMs);
  const call = <T>(method: string, argument: unknown): Promise<T> => new Promise((resolve, reject) => {
    (client as unknown as Record<string, (a: unknown, m: Metadata, o: object, cb: (e: ServiceError | null, r: T) => void) => void>)[method]!(argument, metadata, { deadline: deadline() }, (error, response) => (error ? reject(error) : resolve(response)));
  });
  let info;
  try {
    const meta = await call<{ name: string; platform: string; inputs: unknown; outputs: unknown }>('ModelMetadata', { name: target.model, version: target.version ?? '' });
    info = remoteInfo(target, JSON.stringify(meta), tensorSpecsOf(meta.inputs, 'metadata inputs'), tensorSpecsOf(meta.outputs, 'metadata outputs'), meta.platform || undefined);
  } catch (error) {
    client.close();
    throw openError(target, error, grpc.status);
  }
  const statsRequest = { name: target.model, version: target.version ?? '' };
  const readStats = (): Promise<unknown> => call<unknown>('ModelStatistics', statsRequest).then((body) => modelStatsOf(body, target.model), () => null);
  // Asked once here: a server without the extension (UNIMPLEMENTED) is not asked again per trial.
  const hasStats = (await readStats()) !== null;
  const infer = service.ModelInfer!;
  const identity = (b: Buffer): Buffer => b;
  return {
    info,
    backend: `KServe v2 gRPC, raw tensor contents (${target.display})`,
    endpoint: { protocol: 'kserve-v2-grpc', url: target.display, encoding: 'raw' },
    prepare: (inputs: readonly HostTensor[]) => infer.requestSerialize(toGrpcInferRequest(target.model, target.version ?? '', inputs)),
    run: (feeds) => new Promise((resolve, reject) => {
      (client as Client).makeUnaryRequest(infer.path, identity, identity, feeds as Buffer, metadata, { deadline: deadline() }, (error, response) => {
        if (error) {
          const refused = refusalOf(error, client as Client, grpc);
          const reason = refused === null ? grpcReason(error, grpc.status) : `${grpc.status[error.code]?.toLowerCase() ?? error.code}: the server turned the request away (${error.details})`;
          const failure = new InferbenchError('runtime-error', `${target.display}: ModelInfer failed: ${reason}`);
          reject(refused === null ? failure : Object.assign(failure, { httpStatus: refused }));
        } else resolve(response);
      });
    }),
    collect(outputs) {
      try {
        return fromGrpcInferResponse(infer.responseDeserialize(outputs as Buffer) as GrpcInferResponse);
      } catch (error) {
        throw responseError(target, error);
      }
    },
    serverStats: async () => (hasStats ? readStats() : null),
    serverStatsDelta: (before, after) => (before && after ? statsDelta(before as V2ModelStats, after as V2ModelStats) : null),
    close: async () => client.close(),
  };
}

type Status = typeof import('@grpc/grpc-js').status;
type Grpc = typeof import('@grpc/grpc-js');

/**
 * A call the server turned away for want of room, as the HTTP status it stands for (what
 * remote-common.ts refusedStatus() counts as a dropped request under open-loop load), else null.
 * RESOURCE_EXHAUSTED is gRPC's "no room" (429). UNAVAILABLE is both "no room" (Triton answers a
 * full queue with it, `inferbench serve --queue-limit` too: 503) and "no server" (the connection
 * refused or dropped): it is a refusal only while the channel is still READY, i.e. the server
 * answered it over a live connection.
 */
function refusalOf(error: ServiceError, client: Client, grpc: Grpc): number | null {
  if (error.code === grpc.status.RESOURCE_EXHAUSTED) return 429;
  if (error.code !== grpc.status.UNAVAILABLE) return null;
  return client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY ? 503 : null;
}

function grpcReason(error: ServiceError, status: Status): string {
  const name = status[error.code] ?? String(error.code);
  if (error.code === status.UNAVAILABLE) return `unavailable (${error.details}): is the server running, on this port?`;
  if (error.code === status.DEADLINE_EXCEEDED) return 'timed out (raise --request-timeout)';
  return `${name}: ${error.details}`;
}

function openError(target: RemoteTarget, error: unknown, status: Status): InferbenchError {
  if (isProtocolError(error)) return new InferbenchError('model-invalid', `${target.display}: the model metadata is not v2's: ${error.message}`);
  const e = error as ServiceError;
  if (e.code === status.NOT_FOUND) return new InferbenchError('model-not-found', `${target.display}: no model '${target.model}' on this server (${e.details})`, 'check the name and version');
  if (e.code === status.UNIMPLEMENTED) return new InferbenchError('model-invalid', `${target.display}: not a KServe v2 gRPC endpoint (ModelMetadata is unimplemented)`, 'check the port: Triton serves gRPC on 8001, HTTP on 8000');
  if (e.code === status.UNAUTHENTICATED || e.code === status.PERMISSION_DENIED) return new InferbenchError('model-not-found', `${target.display}: the server refused access (${e.details})`, 'pass credentials with --token or --header');
  if (typeof e.code === 'number') return new InferbenchError('model-not-found', `${target.display}: ${grpcReason(e, status)}`, 'check the URL, and that the server is running');
  return error as InferbenchError;
}
