// A server's check of decoded inputs against the model it serves: every input present once, no
// unknown one, the model's element type, its rank and its fixed dims. What a runtime would reject
// deep inside (or, worse, accept and compute garbage from) becomes a 400 that names the input.
import type { HostTensor, TensorSpec } from '../model/spec.js';
import { ProtocolError } from './protocol-error.js';

/** Elements a server accepts in one request: 2^28 (1 GiB of float32); a body limit usually bites first. */
const MAX_ELEMENTS = 2 ** 28;

export function checkInputs(inputs: readonly HostTensor[], specs: readonly TensorSpec[]): HostTensor[] {
  const byName = new Map<string, HostTensor>();
  for (const input of inputs) {
    if (byName.has(input.name)) throw new ProtocolError(400, `input '${input.name}' is given twice`);
    byName.set(input.name, input);
  }
  for (const name of byName.keys()) {
    if (!specs.some((s) => s.name === name)) throw new ProtocolError(400, `unknown input '${name}': the model's inputs are ${specs.map((s) => `'${s.name}'`).join(', ')}`);
  }
  return specs.map((spec) => {
    const input = byName.get(spec.name);
    if (!input) throw new ProtocolError(400, `input '${spec.name}' is missing`);
    if (input.type !== spec.type) throw new ProtocolError(400, `input '${spec.name}': datatype ${input.type}, but the model takes ${spec.type}`);
    checkDims(spec, input.dims);
    return input;
  });
}

/** Shape checks shared with the decoders, before any data is read: rank, fixed dims, a size limit. */
export function checkDims(spec: TensorSpec, dims: readonly number[]): void {
  const shown = `[${dims.join(', ')}]`;
  if (dims.length !== spec.shape.length) throw new ProtocolError(400, `input '${spec.name}': shape ${shown} has rank ${dims.length}, but the model takes rank ${spec.shape.length} ([${spec.shape.map((d) => d ?? '?').join(', ')}])`);
  let count = 1;
  for (const [axis, size] of dims.entries()) {
    if (!Number.isSafeInteger(size) || size < 0) throw new ProtocolError(400, `input '${spec.name}': dim ${axis} of shape ${shown} is not a non-negative integer`);
    const fixed = spec.shape[axis];
    if (typeof fixed === 'number' && fixed >= 0 && fixed !== size) throw new ProtocolError(400, `input '${spec.name}': dim ${axis} is ${size}, but the model fixes it at ${fixed}`);
    count *= size;
  }
  if (count > MAX_ELEMENTS) throw new ProtocolError(413, `input '${spec.name}': shape ${shown} has ${count} elements, more than this server takes (${MAX_ELEMENTS})`);
}
