// float32 → float16 tensor data, clamped the way onnxconverter-common's
// `convert_np_to_float16` does (float16.py: min_positive_val=5.96e-08, max_finite_val=65504.0):
// finite values never become inf and tiny non-zero values never flush to 0, so a weight keeps
// its sign and finiteness; NaN, ±0 and ±inf are left as they are.
import { float32ToFloat16Bits } from '../inputs/synthetic.js';
import { DT, floatValues, rawBytes, type TensorProto } from './onnx-graph.js';

/** Smallest positive float16 subnormal (2^-24), onnxconverter-common's min_positive_val. */
export const FP16_MIN_POSITIVE = 5.96e-8;
/** Largest finite float16, onnxconverter-common's max_finite_val. */
export const FP16_MAX_FINITE = 65504;

export function clampForFp16(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.abs(value);
  if (magnitude < FP16_MIN_POSITIVE) return Math.sign(value) * FP16_MIN_POSITIVE;
  if (magnitude > FP16_MAX_FINITE) return Math.sign(value) * FP16_MAX_FINITE;
  return value;
}

export function toFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) bits[i] = float32ToFloat16Bits(clampForFp16(values[i] ?? 0));
  return bits;
}

/** Rewrites a float32 TensorProto in place as float16 (raw_data); other types are untouched. */
export function convertTensorToFp16(tensor: TensorProto): void {
  if (tensor.dataType !== DT.FLOAT) return;
  const bits = toFloat16Bits(floatValues(tensor));
  tensor.dataType = DT.FLOAT16;
  tensor.rawData = rawBytes(bits);
  tensor.floatData = [];
}
