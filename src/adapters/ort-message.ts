// ONNX Runtime's error messages, made readable: the first line only, without the C++ source
// locations of ORT's own build (`/onnxruntime_src/onnxruntime/core/...cc:235 onnxruntime::X::Y(...)`,
// which point at a build machine, not at anything the user has), and with a hint for the failures
// the ONNX backend-test corpus showed to be common.

/** ORT's build tree path and line, plus the C++ function signature that usually follows it. */
const SOURCE_LOCATION = /\s*\/onnxruntime_src\/\S+?:\d+\s+(?:[\w:<>~]+(?:\([^)]*\))?(?:::<lambda\(\)>)?\s+)?/g;
/** ONNX TensorProto.DataType numbers ORT names only by number (onnx/onnx.proto). */
const DATA_TYPES: Record<string, string> = { '16': 'bfloat16', '17': 'float8e4m3fn', '18': 'float8e4m3fnuz', '19': 'float8e5m2', '20': 'float8e5m2fnuz', '21': 'uint4', '22': 'int4', '23': 'float4e2m1', '8': 'string', '14': 'complex64', '15': 'complex128' };

export function cleanOrtMessage(raw: string): string {
  const first = (raw.split('\n')[0] ?? raw).trim();
  return first
    .replace(SOURCE_LOCATION, ' ')
    .replace(/Unsupported data type: (\d+)/, (whole, n: string) => (DATA_TYPES[n] ? `${whole} (ONNX ${DATA_TYPES[n]})` : whole))
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** A hint for a runtime failure we recognise, or undefined. */
export function ortHint(message: string): string | undefined {
  if (/Unsupported data type: 16\b/.test(message)) return 'onnxruntime-node has no bfloat16 tensors for inputs and outputs: export the model with float32 or float16 inputs/outputs (cast inside the graph)';
  if (/Unsupported data type/.test(message)) return 'onnxruntime-node cannot pass this element type in or out of a session: export the model with float32/float16/int inputs and outputs';
  if (/Failed to construct locale with name:?\s*([\w.-]+)/.test(message)) {
    const locale = /name:?\s*([\w.-]+)/.exec(message)?.[1] ?? 'en_US.UTF-8';
    return `the model's StringNormalizer needs the OS locale ${locale}: install it (Debian/Ubuntu: apt-get install locales && locale-gen ${locale})`;
  }
  if (/not implemented|NOT_IMPLEMENTED|Could not find an implementation/.test(message)) return 'this onnxruntime build has no kernel for an operator (or its type) in the model: try another --device, or a newer onnxruntime-node';
  return undefined;
}
