// --dry-run plans what a real run would try; a device this machine lacks is planned too (a real
// run skips its trials, exit code unchanged), so the plan says so instead of passing in silence.
import { resolveAdapter } from '../adapters/resolve.js';
import { deviceUnavailable } from '../sweep/run-spec.js';
import type { TrialSpec } from '../types.js';

/** One warning line per planned device that `model`'s runtime cannot use on this machine. */
export async function unavailableDeviceWarnings(models: readonly string[], specs: readonly TrialSpec[]): Promise<string[]> {
  const devices = [...new Set(specs.map((s) => s.device))];
  const warnings: string[] = [];
  for (const model of new Set(models)) {
    const adapter = await resolveAdapter(model);
    for (const device of devices) {
      const why = await deviceUnavailable(adapter, device);
      if (why !== null) warnings.push(`warning: ${why}; a real run skips its trials on this machine`);
    }
  }
  return [...new Set(warnings)];
}
