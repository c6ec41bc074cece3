// The roofline: the calibrated peaks (measure/calibrate.ts) and where a trial sits under them (analyze/roofline.ts).

export interface Calibration {
  device: string;
  /** Intra-op threads used; null = ORT's default. */
  threads: number | null;
  /** Peak compute, GFLOP/s (1e9 FLOP per second). */
  gflops: number;
  /** Peak memory bandwidth, GB/s (1e9 bytes per second). */
  gbps: number;
  /** gflops / gbps: the roofline's ridge point, FLOP per byte. */
  machineBalance: number;
  /** ISO 8601 time of the measurement. */
  measuredAt: string;
  /** How it was measured, in words (kernel, sizes, repeats, runtime version). */
  method: string;
  /** The cache key this calibration is stored under. */
  fingerprint: string;
}

export type RooflineBound = 'compute' | 'memory';

export interface RooflinePosition {
  /** FLOPs per inference ÷ inference seconds ÷ 1e9. */
  achievedGflops: number;
  /** Bytes per inference ÷ inference seconds ÷ 1e9. */
  achievedGbps: number;
  /** FLOP per byte moved. */
  arithmeticIntensity: number;
  /** The calibration's ridge point, FLOP per byte. */
  machineBalance: number;
  /** The roof at this intensity, GFLOP/s. */
  attainableGflops: number;
  /** memory when the intensity is below the ridge point, else compute. */
  bound: RooflineBound;
  /** achievedGflops ÷ attainableGflops (0..1; above 1 means the calibration underestimates). */
  fractionOfPeak: number;
}
