// How a service trial's settings read in its trial id: the rate always, the rest when not default.
import type { ServingSettings } from '../types.js';

/** Arrivals a service trial gets unless told otherwise (LoadGen's Server scenario: Poisson). */
export const DEFAULT_ARRIVALS = 'poisson';

export function serviceIdParts(s: ServingSettings): string[] {
  const parts = [`rate=${formatRate(s.rate)}/s`];
  if (s.arrivals !== DEFAULT_ARRIVALS) parts.push(`arrivals=${s.arrivals}`);
  if (s.maxBatch > 1) parts.push(`max-batch=${s.maxBatch}`, `delay=${+s.maxDelayMs.toFixed(3)}ms`, `batching=${s.batching}`);
  if (s.instances > 1) parts.push(`instances=${s.instances}`);
  if (s.queueLimit !== null) parts.push(`queue-limit=${s.queueLimit}`);
  return parts;
}

function formatRate(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : String(+rate.toFixed(2));
}
