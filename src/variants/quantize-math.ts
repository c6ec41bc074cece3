// Weight quantization arithmetic, as onnxruntime/python/tools/quantization/quant_utils.py does it:
// the range always includes 0; int8 weights are symmetric (ORT's default for QInt8 weights,
// "WeightSymmetric"), qmin/qmax −127/127 so that zero_point is exactly 0; uint8 is asymmetric
// over [0, 255]; values are divided by the float32 scale, rounded half to even (numpy's round)
// and clipped. Per-tensor by default (quantize_dynamic's per_channel=False); per-channel along
// an axis on request.

export type WeightType = 'int8' | 'uint8';

export interface QuantizedWeight {
  type: WeightType;
  values: Int8Array | Uint8Array;
  /** One scale per channel (length 1 when per-tensor), float32-rounded. */
  scales: Float32Array;
  zeroPoints: Int8Array | Uint8Array;
}

/** numpy's round: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Scale and zero point of one range (quant_utils.compute_scale_zp). */
export function scaleAndZeroPoint(min: number, max: number, type: WeightType): { scale: number; zeroPoint: number } {
  const rmin = Math.min(min, 0);
  const rmax = Math.max(max, 0);
  if (type === 'int8') {
    const absMax = Math.max(Math.abs(rmin), Math.abs(rmax));
    const scale = Math.fround(absMax / 127);
    return { scale: scale === 0 ? 1 : scale, zeroPoint: 0 };
  }
  const scale = Math.fround((rmax - rmin) / 255);
  if (scale === 0) return { scale: 1, zeroPoint: 0 };
  return { scale, zeroPoint: Math.min(255, Math.max(0, roundHalfEven(-rmin / scale))) };
}

/**
 * Quantizes `values` (a tensor of `dims`) per tensor, or per channel along `axis` when given.
 */
export function quantizeWeight(values: Float32Array, dims: readonly number[], type: WeightType, axis?: number): QuantizedWeight {
  const channels = axis === undefined ? 1 : (dims[axis] ?? 1);
  const inner = axis === undefined ? values.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const mins = new Float64Array(channels).fill(Infinity);
  const maxs = new Float64Array(channels).fill(-Infinity);
  values.forEach((v, i) => {
    const c = channelOf(i);
    mins[c] = Math.min(mins[c] ?? 0, v);
    maxs[c] = Math.max(maxs[c] ?? 0, v);
  });
  const scales = new Float32Array(channels);
  const zeroPoints = type === 'int8' ? new Int8Array(channels) : new Uint8Array(channels);
  for (let c = 0; c < channels; c++) {
    const { scale, zeroPoint } = scaleAndZeroPoint(mins[c] ?? 0, maxs[c] ?? 0, type);
    scales[c] = scale;
    zeroPoints[c] = zeroPoint;
  }
  const [qmin, qmax] = type === 'int8' ? [-127, 127] : [0, 255];
  const out = type === 'int8' ? new Int8Array(values.length) : new Uint8Array(values.length);
  values.forEach((v, i) => {
    const c = channelOf(i);
    const q = roundHalfEven(Math.fround(v / (scales[c] ?? 1))) + (zeroPoints[c] ?? 0);
    out[i] = Math.min(qmax, Math.max(qmin, q));
  });
  return { type, values: out, scales, zeroPoints };
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] ?? 0;
  return out;
}
