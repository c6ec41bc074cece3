// Cross-layer data, re-exported from model/ (one file per subject). Everything there is plain,
// JSON-serialisable data: the core returns it, the exporters render it, `compare` reads it back.
// model/ imports nothing outside itself, so every layer can depend on it.
export * from './model/spec.js';
export * from './model/trial.js';
export * from './model/report.js';
export * from './model/bottleneck.js';
export * from './model/budget.js';
export * from './model/op-profile.js';
export * from './model/output-check.js';
export * from './model/roofline.js';
export * from './model/service.js';
export * from './model/knee.js';
export * from './model/samples.js';
export * from './model/merge.js';
export * from './model/serving-overhead.js';
