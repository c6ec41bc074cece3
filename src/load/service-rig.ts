// The in-process service rig: N model instances (worker threads, warm) behind the serving queue
// and batcher, driven by an open-loop schedule. Opened once, probed at many rates (the sweep runs
// one probe per trial; the knee search, load/knee.ts, bisects over probes), closed at the end.
import type { SessionOptions } from '../adapters/adapter.js';
import type { InputPins } from '../inputs/pins.js';
import type { PhaseBound, ServiceMeasurement, ServingSettings } from '../types.js';

export interface ServiceRigOptions {
  /** Model file the instances open (a precision variant's path for its trials). */
  model: string;
  session: SessionOptions;
  /** Resolved input shapes of ONE request (its batch dim = itemsPerRequest). */
  shapes: Map<string, number[]>;
  pins: InputPins;
  /** Seed of the synthetic inputs. */
  seed: number;
  itemsPerRequest: number;
  /** Instances (worker threads, one session each); fixed for the rig's life. */
  instances: number;
  /** Largest model batch (items) the instances will be asked to run; warm-up covers 1..maxBatch requests' worth. */
  maxBatch: number;
  /** Warm-up of each instance (closed loop, before any probe). */
  warmup: PhaseBound;
}

/** One open-loop probe: the serving settings except `instances` (the rig's), and how long. */
export interface ProbeOptions {
  settings: Omit<ServingSettings, 'instances'>;
  /**
   * count: that many requests scheduled; time: arrivals over that long; auto: ≥ 1000 requests
   * (LoadGen's p99 minimum is 459 clean ones) and ≥ 2 s of arrivals, at most 10 s.
   */
  measure: PhaseBound;
  /** Aborting stops sending; in-flight batches finish; the measurement says interrupted. */
  signal?: AbortSignal | undefined;
  /** Progress at most every 100 ms: requests completed, ms since the first arrival. */
  onProgress?: ((completed: number, elapsedMs: number) => void) | undefined;
}

export interface ServiceRig {
  readonly instances: number;
  /** Runs one probe; never overlaps another probe on the same rig. */
  probe(options: ProbeOptions): Promise<ServiceMeasurement>;
  close(): Promise<void>;
}
