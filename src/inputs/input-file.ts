// `--input-file name=path`: one input read from a file that knows its type and shape (.npy, or
// .pb: an ONNX TensorProto as in the backend tests' test_data_set_N/input_K.pb) or a raw .bin.
import { extname } from 'node:path';
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError } from '../errors.js';
import type { ElementType } from '../types.js';
import { readBytes, readNpyFile, readRawFile } from './npy.js';
import type { InputPins } from './pins.js';
import { parseTensorProto } from './tensor-proto.js';

/**
 * Reads `--input-file` for one input: .npy or .pb (an ONNX TensorProto, as in the backend tests'
 * test_data_set_N/input_K.pb), whose element type and shape must equal the input's type and
 * resolved shape; or .bin (raw bytes of the input's type, sized by the resolved shape).
 */
export function readInputFile(path: string, input: { name: string; type: ElementType }, dims: number[]): HostTensor {
  const ext = extname(path).toLowerCase();
  if (ext === '.pb') return matching(path, input, dims, parseTensorProto(readBytes(path), path));
  if (input.type === 'string') {
    throw new InferbenchError('input-invalid', `input '${input.name}' holds strings, which --input-file reads only from a .pb TensorProto`, 'drop --input-file for it, or save it as an ONNX TensorProto (.pb)');
  }
  if (ext === '.bin') return { name: input.name, type: input.type, dims: [...dims], data: readRawFile(path, input.type, dims) };
  if (ext !== '.npy') {
    throw new InferbenchError('input-invalid', `input file '${path}' is not .npy, .pb or .bin`, 'save it with numpy.save (.npy), as an ONNX TensorProto (.pb), or as raw little-endian bytes (.bin)');
  }
  return matching(path, input, dims, readNpyFile(path));
}

/** A file that knows its type and shape must agree with the input's. */
function matching(path: string, input: { name: string; type: ElementType }, dims: number[], array: { type: ElementType; dims: number[]; data: HostTensor['data'] }): HostTensor {
  if (array.type !== input.type) {
    throw new InferbenchError(
      'input-invalid',
      `input '${input.name}' is ${input.type} but ${path} holds ${array.type}`,
      `convert it: np.save(path, arr.astype(np.${input.type === 'bool' ? 'bool_' : input.type}))`,
    );
  }
  const same = array.dims.length === dims.length && array.dims.every((d, i) => d === dims[i]);
  if (!same) {
    throw new InferbenchError(
      'shape-invalid',
      `input '${input.name}': ${path} has shape [${array.dims.join(', ')}] but the resolved shape is [${dims.join(', ')}]`,
      array.dims.length > 0
        ? `pass --shape ${input.name}=${array.dims.join('x')} to use the file's shape`
        : `the file holds a scalar; write an array of shape [${dims.join(', ')}]`,
    );
  }
  return { name: input.name, type: input.type, dims: [...dims], data: array.data };
}

/**
 * A .npy or .pb file knows its own shape: an input given by `--input-file x=x.npy` and no `--shape`
 * takes the file's shape, so the user need not repeat it.
 */
export function withNpyShapes(pins: InputPins): InputPins {
  const shapes = new Map(pins.shapes);
  for (const [name, path] of pins.files) {
    if (shapes.has(name)) continue;
    const ext = extname(path).toLowerCase();
    if (ext === '.npy') shapes.set(name, readNpyFile(path).dims);
    else if (ext === '.pb') shapes.set(name, parseTensorProto(readBytes(path), path).dims);
  }
  return { ...pins, shapes };
}
