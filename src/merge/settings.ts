// The measurement settings two reports must share before `inferbench merge` puts their trials in
// one report: everything in the report's options except the sweep's axes (each trial's spec says
// where it sits on them) and what does not change a measurement (where files went, the shard, the
// command line). An option added later counts as a setting until it is listed here: a merge that
// refuses is safer than one that mixes unlike numbers.
import type { Report } from '../types.js';

/** Option keys that are not measurement settings. */
const NOT_SETTINGS = new Set([
  // The axes: the trials' specs (and ids) carry them; reports of different sweeps may be joined.
  'devices', 'precisions', 'threads', 'batches', 'concurrency', 'outputs',
  // Where the model and caches are on this machine (the model's sha256 is checked instead).
  'model', 'variantCacheDir', 'calibrationCache',
  // Which part of the plan; extra facts beside the measurement.
  'shard', 'sample', 'sampleIntervalMs', 'pairedSpeedUp', 'checkOutputs',
]);

/** The sweep's axes, whose lists a merged report joins. */
export const AXES = ['devices', 'precisions', 'threads', 'batches', 'concurrency', 'outputs'] as const;

export function measurementSettings(report: Report): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(report.options)) {
    if (NOT_SETTINGS.has(key)) continue;
    // The service axis is its rates; its other settings (arrivals, batching, …) are one per run.
    settings[key] = JSON.stringify(key === 'service' && isObject(value) ? { ...value, rates: undefined } : value);
  }
  return settings;
}

/** 'measure: {...} vs {...}' per setting that differs. */
export function settingDifferences(a: Report, b: Report): string[] {
  const sa = measurementSettings(a);
  const sb = measurementSettings(b);
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])];
  return keys.filter((k) => sa[k] !== sb[k]).map((k) => `${k}: ${sa[k] ?? '(unset)'} vs ${sb[k] ?? '(unset)'}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
