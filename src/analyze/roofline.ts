// Where a trial sits on the roofline (Williams, Waterman & Patterson, "Roofline: an insightful
// visual performance model for multicore architectures", CACM 52(4), 2009):
//   attainable GFLOP/s = min(peak GFLOP/s, arithmetic intensity × peak GB/s)
// The ridge point (machine balance) is peak GFLOP/s ÷ peak GB/s: below it a kernel cannot reach
// peak compute however well it is written (memory-bound), above it memory can feed the ALUs
// (compute-bound). fractionOfPeak is achieved ÷ attainable: how close the trial is to the roof
// that bounds it.
import type { Calibration, RooflinePosition } from '../types.js';

export type { RooflineBound, RooflinePosition } from '../types.js';



/**
 * @param trialFlops FLOPs of one inference (flops.ts modelCost)
 * @param trialBytes bytes moved by one inference
 * @param inferenceSeconds time of one inference (e.g. the inference stage's p50, in seconds)
 */
export function roofline(trialFlops: number, trialBytes: number, inferenceSeconds: number, calibration: Pick<Calibration, 'gflops' | 'gbps'>): RooflinePosition {
  if (!(inferenceSeconds > 0)) throw new RangeError(`inferenceSeconds must be > 0, got ${inferenceSeconds}`);
  if (!(calibration.gflops > 0 && calibration.gbps > 0)) throw new RangeError('calibration peaks must be > 0');
  if (!(trialFlops >= 0 && trialBytes > 0)) throw new RangeError('trialFlops must be ≥ 0 and trialBytes > 0');
  const achievedGflops = trialFlops / inferenceSeconds / 1e9;
  const achievedGbps = trialBytes / inferenceSeconds / 1e9;
  const arithmeticIntensity = trialFlops / trialBytes;
  const machineBalance = calibration.gflops / calibration.gbps;
  const attainableGflops = Math.min(calibration.gflops, arithmeticIntensity * calibration.gbps);
  return {
    achievedGflops,
    achievedGbps,
    arithmeticIntensity,
    machineBalance,
    attainableGflops,
    bound: arithmeticIntensity < machineBalance ? 'memory' : 'compute',
    fractionOfPeak: attainableGflops > 0 ? achievedGflops / attainableGflops : 0,
  };
}
