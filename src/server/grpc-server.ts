// The gRPC front end of `inferbench serve`: inference.GRPCInferenceService (our .proto, written
// from the published field numbers) over @grpc/grpc-js. Outputs go back as raw_output_contents.
// ModelStatistics answers from the REST statistics extension's counters.
// A malformed request is INVALID_ARGUMENT (NOT_FOUND for another model), with the same message
// the REST side would give.
import type { sendUnaryData, Server, ServerUnaryCall } from '@grpc/grpc-js';
import { modelMetadataOf } from '../protocols/kserve-v2/datatypes.js';
import { fromGrpcInferRequest, loadV2Grpc, toGrpcInferResponse, type GrpcInferRequest } from '../protocols/kserve-v2/grpc.js';
import { isProtocolError, ProtocolError } from '../protocols/protocol-error.js';
import { TOOL_VERSION } from '../version.js';
import { backendOf, run, SERVER_EXTENSIONS, type ServeContext } from './http-server.js';

type Handler = (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => void;

/** Starts the gRPC server on host:port; resolves with the port bound (port 0 = any free one). */
export async function startGrpcServer(ctx: ServeContext, host: string, port: number): Promise<{ server: Server; port: number }> {
  const { grpc, service } = await loadV2Grpc();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.maxBodyBytes,
    'grpc.max_send_message_length': -1,
  });
  const fail = (callback: sendUnaryData<unknown>, error: unknown): void => {
    const status = isProtocolError(error) ? error.status : 500;
    const code = status === 404 ? grpc.status.NOT_FOUND : status === 503 ? grpc.status.UNAVAILABLE : status === 413 ? grpc.status.RESOURCE_EXHAUSTED : status >= 500 ? grpc.status.INTERNAL : grpc.status.INVALID_ARGUMENT;
    callback({ code, details: error instanceof Error ? error.message : String(error) });
  };
  const unary = (answer: (request: Record<string, unknown>) => unknown | Promise<unknown>): Handler => (call, callback) => {
    Promise.resolve()
      .then(() => answer(call.request))
      .then((value) => callback(null, value), (error: unknown) => fail(callback, error));
  };
  const checkName = (name: unknown): void => {
    if (name !== ctx.name) throw new ProtocolError(404, `unknown model '${String(name).slice(0, 100)}': this server serves '${ctx.name}'`);
  };
  const handlers: Record<string, Handler> = {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: !ctx.draining() })),
    ModelReady: unary((r) => ({ ready: r.name === ctx.name && !ctx.draining() })),
    ServerMetadata: unary(() => ({ name: 'inferbench', version: TOOL_VERSION, extensions: SERVER_EXTENSIONS })),
    ModelMetadata: unary((r) => {
      checkName(r.name);
      return modelMetadataOf(ctx.name, ctx.version, backendOf(ctx).info);
    }),
    // The statistics extension over gRPC: the same counters as GET /v2/models/NAME/stats. An
    // empty name asks for every model (Triton's convention): here, the one.
    ModelStatistics: unary((r) => {
      if (r.name !== '') checkName(r.name);
      return { model_stats: [backendOf(ctx).stats] };
    }),
    ModelInfer: unary(async (r) => {
      if (ctx.draining()) throw new ProtocolError(503, 'the server is shutting down');
      const request = r as unknown as GrpcInferRequest;
      checkName(request.model_name);
      const { inputs, outputs } = fromGrpcInferRequest(request, backendOf(ctx).info);
      const served = await run(ctx, inputs);
      const chosen = outputs ? served.outputs.filter((o) => outputs.includes(o.name)) : served.outputs;
      return toGrpcInferResponse(ctx.name, ctx.version, request.id ?? '', chosen);
    }),
  };
  server.addService(service, handlers as never);
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, actual) => (error ? reject(error) : resolve(actual)));
  });
  return { server, port: bound };
}
