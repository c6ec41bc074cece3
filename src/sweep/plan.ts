// The sweep plan: the cartesian product of the axes, in an order that keeps like with like
// (device, then precision, then threads, then batch innermost) so the table reads as curves.
import { serviceIdParts } from '../load/service-id.js';
import { DEFAULT_OUTPUT_HANDLING, type GraphOptimization, type OutputHandling, type Precision, type ServingSettings, type TrialSpec } from '../types.js';


export interface SweepAxes {
  devices: string[];
  precisions: Precision[];
  /** null = the runtime's default thread count. */
  threads: (number | null)[];
  /** null = the model's own batch (1 for a symbolic batch dim). */
  batches: (number | null)[];
  /** Requests in flight; default [1]. */
  concurrency?: number[];
  /** Output handling (--outputs); default ['drop']. */
  outputs?: OutputHandling[];
  /** Open-loop service trials (--rate): one per rate, innermost; absent = closed loop. */
  service?: { rates: number[]; settings: Omit<ServingSettings, 'rate'> };
}

export interface PlanBase {
  model: string;
  interThreads: number | null;
  graphOptimization: GraphOptimization;
}

export function planSweep(base: PlanBase, axes: SweepAxes): TrialSpec[] {
  const specs: TrialSpec[] = [];
  for (const device of axes.devices)
    for (const precision of axes.precisions)
      for (const threads of axes.threads)
        for (const concurrency of axes.concurrency ?? [1])
          for (const outputs of axes.outputs ?? [DEFAULT_OUTPUT_HANDLING])
            for (const batch of axes.batches)
              for (const service of servicesOf(axes)) {
                const spec = { ...base, device, precision, threads, batch, ...(concurrency > 1 && { concurrency }), ...(outputs !== DEFAULT_OUTPUT_HANDLING && { outputs }), ...(service && { service }) };
                specs.push({ id: trialId(spec), ...spec });
              }
  return specs;
}

export function trialId(spec: Omit<TrialSpec, 'id'>): string {
  const parts = [spec.device, spec.precision, `batch=${spec.batch ?? 'model'}`, `threads=${spec.threads ?? 'auto'}`];
  if ((spec.concurrency ?? 1) > 1) parts.push(`concurrency=${spec.concurrency}`);
  // The default handling stays out of the id, so ids of earlier reports still pair in compare.
  if (spec.outputs !== undefined && spec.outputs !== DEFAULT_OUTPUT_HANDLING) parts.push(`outputs=${spec.outputs}`);
  if (spec.service) parts.push(...serviceIdParts(spec.service));
  return parts.join(' ');
}

function servicesOf(axes: SweepAxes): (ServingSettings | undefined)[] {
  const service = axes.service;
  if (!service || service.rates.length === 0) return [undefined];
  return service.rates.map((rate) => ({ rate, ...service.settings }));
}


/**
 * The trial a sweep's speed-ups are measured against, as planned: the first fp32 trial, else the
 * first (report/sweep-table.ts's baselineTrial picks the same among the trials that ran). A shard
 * pairs its trials with it even when another shard measures it, so every shard's speed-ups have
 * the same reference and each pair is measured on one machine.
 */
export function planBaseline(plan: readonly TrialSpec[]): TrialSpec | undefined {
  return plan.find((spec) => spec.precision === 'fp32') ?? plan[0];
}
