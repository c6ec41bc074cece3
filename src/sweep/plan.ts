// The sweep plan: the cartesian product of the axes, in an order that keeps like with like
// (device, then precision, then threads, then batch innermost) so the table reads as curves.
import { InferbenchError } from '../errors.js';
import { DEFAULT_OUTPUT_HANDLING, type GraphOptimization, type OutputHandling, type Precision, type TrialSpec } from '../types.js';

export const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8', 'int8-static'];

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
            for (const batch of axes.batches) {
              const spec = { ...base, device, precision, threads, batch, ...(concurrency > 1 && { concurrency }), ...(outputs !== DEFAULT_OUTPUT_HANDLING && { outputs }) };
              specs.push({ id: trialId(spec), ...spec });
            }
  return specs;
}

export function trialId(spec: Omit<TrialSpec, 'id'>): string {
  const parts = [spec.device, spec.precision, `batch=${spec.batch ?? 'model'}`, `threads=${spec.threads ?? 'auto'}`];
  if ((spec.concurrency ?? 1) > 1) parts.push(`concurrency=${spec.concurrency}`);
  // The default handling stays out of the id, so ids of earlier reports still pair in compare.
  if (spec.outputs !== undefined && spec.outputs !== DEFAULT_OUTPUT_HANDLING) parts.push(`outputs=${spec.outputs}`);
  return parts.join(' ');
}

const MAX_AXIS_VALUES = 64;

/**
 * Batch sizes: a list (`1,2,4`), a range stepping by one (`1..8`), by a constant (`1..64:+8`),
 * or by a factor (`1..64:x2` → 1,2,4,...,64), or a mix (`1,3..9:+3`).
 */
export function parseBatchList(raw: string): number[] {
  const values: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)(?::([x+*])(\d+))?$/.exec(part);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      const op = range[3] ?? '+';
      const step = Number(range[4] ?? 1);
      const grows = op === '+' ? step >= 1 : step >= 2;
      if (lo < 1 || hi < lo || !grows) throw batchError(raw, `range '${part}' must go up from at least 1`);
      // Checked inside the loop, not after it: '1..10000000000' would otherwise build a ten
      // billion element array before the cap is ever looked at.
      for (let b = lo; b <= hi; b = op === '+' ? b + step : b * step) {
        values.push(b);
        if (values.length > MAX_AXIS_VALUES) throw batchError(raw, `more than ${MAX_AXIS_VALUES} batch sizes`);
      }
    } else if (/^\d+$/.test(part) && Number(part) >= 1) {
      values.push(Number(part));
    } else {
      throw batchError(raw, `'${part}' is not a batch size or range`);
    }
    if (values.length > MAX_AXIS_VALUES) throw batchError(raw, `more than ${MAX_AXIS_VALUES} batch sizes`);
  }
  if (values.length === 0) throw batchError(raw, 'no batch size given');
  return [...new Set(values)];
}

function batchError(raw: string, why: string): InferbenchError {
  return new InferbenchError('usage', `--batch '${raw}': ${why}`, 'e.g. --batch 1,2,4,8 or --batch 1..64:x2 or --batch 1..8');
}

export function parsePrecisionList(raw: string): Precision[] {
  const values = raw.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  for (const value of values) {
    if (!PRECISIONS.includes(value as Precision)) {
      throw new InferbenchError('usage', `unknown precision '${value}'`, `use one or more of: ${PRECISIONS.join(', ')}`);
    }
  }
  if (values.length === 0) throw new InferbenchError('usage', 'no precision given', 'e.g. --precision fp32,fp16,int8');
  return [...new Set(values)] as Precision[];
}
