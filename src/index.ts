// Public API: `import { profile } from 'inferbench'`. The CLI is a thin shell over these.
export { profile, plan, type ProfileHooks } from './profile.js';
export type { ProfileOptions } from './profile-options.js';
export { InferbenchError, ExitCode } from './errors.js';
export { exporterFor, exporters, type Exporter, type RenderOptions } from './report/exporter.js';
export { writeReports, writeFileAtomic } from './report/write-atomic.js';
export { validateReport } from './report/validate.js';
export { decodeHistogram } from './measure/histogram.js';
export type * from './types.js';
export type { HostTensor, RuntimeAdapter, Session, DeviceStatus } from './adapters/adapter.js';
export { renderJson } from './report/json.js';
export { compareReports } from './compare/verdict.js';
export { compare, compareModels, type CompareOptions, type Comparison, type PairedOptions, type PairedHooks, type PairedCompareOptions } from './compare.js';
export { listDevices, type DeviceList, type RuntimeDevices } from './devices.js';
export { parseBudgets, evaluateBudgets, bestWithinBudget, type Budget } from './budget/budget.js';
export { loadConfig } from './config/config.js';
export { calibrate } from './analyze/calibrate.js';
export type * from './pipeline/types.js';
