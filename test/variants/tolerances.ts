// How far each generated variant's outputs may drift from fp32 on the fixtures, with what was
// observed (onnxruntime-node 1.30 CPU; worst over batches 1, 8, 32 × seeds 1..10 of the seeded
// inputs in helpers.ts) and the bound the tests assert: about 2–3× the worst observed, so the
// tests catch a broken conversion (cosine 0.9, wrong scales) without flaking on a rounding change.
import type { FixtureName } from './helpers.js';

export interface Tolerance {
  minCosine: number;
  maxAbsError: number;
  maxRelativeError: number;
  /** Minimum top-1 agreement for class-score outputs (mlp, cnn). */
  minTop1: number;
}

/** fp16, keep_io_types. Observed worst: cosine ≥ 0.99999986, max abs ≤ 0.0030, rel ≤ 0.00057, top-1 1. */
export const FP16_TOLERANCE: Record<FixtureName, Tolerance> = {
  mlp: { minCosine: 0.99999, maxAbsError: 0.005, maxRelativeError: 0.0015, minTop1: 1 }, // 0.9999998629, 0.00198, 0.00057
  cnn: { minCosine: 0.99999, maxAbsError: 0.006, maxRelativeError: 0.001, minTop1: 1 }, // 0.9999999375, 0.00233, 0.00038
  transformer: { minCosine: 0.99999, maxAbsError: 0.008, maxRelativeError: 0.0012, minTop1: 1 }, // 0.9999998831, 0.00304, 0.00047
};

/**
 * Dynamic int8 (int8 weights per tensor, uint8 activations). Observed worst: mlp cosine 0.99976,
 * max abs 0.091, rel 0.024, top-1 0.875 (one row of 8 whose two best logits are close);
 * cnn 0.99996 / 0.094 / 0.015 / 1; transformer 0.99988 / 0.071 / 0.015.
 */
export const INT8_TOLERANCE: Record<FixtureName, Tolerance> = {
  mlp: { minCosine: 0.999, maxAbsError: 0.25, maxRelativeError: 0.06, minTop1: 0.75 },
  cnn: { minCosine: 0.9998, maxAbsError: 0.25, maxRelativeError: 0.04, minTop1: 0.875 },
  transformer: { minCosine: 0.9995, maxAbsError: 0.2, maxRelativeError: 0.04, minTop1: 1 },
};
