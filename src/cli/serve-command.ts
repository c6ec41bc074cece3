// `inferbench serve <model>`: the command's flags and help (cheap); the server is in src/server/,
// loaded when the command runs.
import { defineCommand } from './frame.js';
import type { ServeFlags } from './serve-action.js';

const EXAMPLES = `
Examples:
  $ inferbench serve fixtures/cnn.onnx                      # http://127.0.0.1:8000/v2/models/cnn, gRPC on 8001
  $ inferbench serve model.onnx --port 9000 --grpc-port 0   # any free gRPC port
  $ inferbench serve model.onnx --max-batch 8 --max-delay 2ms --instances 2
  $ inferbench profile http://127.0.0.1:8000/v2/models/cnn --encoding binary

Endpoints: KServe v2 REST under /v2 (health, metadata, infer with JSON or binary tensors,
/v2/models/NAME/stats), KServe v2 gRPC (inference.GRPCInferenceService), TF Serving REST
(/v1/models/NAME, /metadata, :predict). A measuring tool, not a production server (docs/endpoints.md).`;

export const serveCommand = defineCommand<ServeFlags>({
  name: 'serve',
  description: 'serve a model over KServe v2 REST and gRPC and TF Serving REST, to measure what serving adds',
  build: (command) =>
    command
      .argument('<model>', 'the model: .onnx, a TensorFlow.js model.json, or a SavedModel directory')
      .option('--port <n>', 'HTTP port (0 = any free port)', '8000')
      .option('--grpc-port <n>', 'gRPC port (0 = any free port)', '8001')
      .option('--no-grpc', 'no gRPC endpoint')
      .option('--name <name>', "the model's name in URLs (default: the file's stem)")
      .option('--host <address>', 'interface to listen on (0.0.0.0 = every interface: anyone who reaches it can run the model)', '127.0.0.1')
      .option('--max-body <size>', 'largest request body (and gRPC message), e.g. 64MB', '64MB')
      .option('--request-timeout <time>', 'a request must arrive whole within this time (slow clients), e.g. 30s', '30s')
      .option('-d, --device <device>', 'execution device of the model instances', 'cpu')
      .option('-t, --threads <n>', 'intra-op threads of each instance (default: the runtime decides)')
      .option('--instances <n>', 'model instances, each a session in its own worker thread', '1')
      .option('--max-batch <n>', "the dynamic batcher's largest batch, in items along the batch dim (1 = no batching)", '1')
      .option('--max-delay <time>', 'how long the batcher may hold requests for a fuller batch, e.g. 2ms', '0')
      .option('--batching <policy>', 'triton (hold only while a full batch cannot form) or timeout (TorchServe/Ray window)', 'triton')
      .option('--queue-limit <n>', 'requests that may wait; beyond it a request is refused with 503 (default: unbounded)')
      .option('--log-requests', 'log every request (default: one summary line per minute at most)', false)
      .addHelpText('after', EXAMPLES),
  onStop: 'letting the requests in flight finish, then stopping',
  async run(context) {
    const { runServe } = await import('./serve-action.js');
    return runServe(context.args[0]!, context.flags, context.terminal, context.signal);
  },
});
