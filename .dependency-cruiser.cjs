// Import rules for src/ (issue 14; docs/development.md "The house"): no import circle, counting
// `import type` and lazy import(), and dependencies that run one way, down the floors below.
// `npm run check:imports` applies them; `npm test` runs it first, so CI enforces them.

/** Floors from the bottom up. A file may import its own floor or any floor below, never above. */
const FLOORS = [
  // 0 plain data and leaves: imports nothing above itself
  { name: 'base', paths: ['^src/model/', '^src/types\\.ts$', '^src/errors\\.ts$', '^src/version\\.ts$', '^src/package-paths\\.ts$', '^src/io/'] },
  // 1 the runtimes behind one interface
  { name: 'adapters', paths: ['^src/adapters/', '^src/protocols/'] },
  // 2 the parts: measuring, inputs, analysis (pure), reports, comparison statistics, options
  { name: 'parts', paths: ['^src/options/', '^src/inputs/', '^src/pipeline/', '^src/measure/', '^src/sample/', '^src/analyze/', '^src/budget/', '^src/check/', '^src/variants/', '^src/report/', '^src/compare/', '^src/load/', '^src/serving/', '^src/merge/'] },
  // 3 the use cases the library offers
  { name: 'use-cases', paths: ['^src/sweep/', '^src/paired/', '^src/config/', '^src/hooks\\.ts$', '^src/profile-options\\.ts$', '^src/profile\\.ts$', '^src/compare\\.ts$', '^src/devices\\.ts$', '^src/run\\.ts$', '^src/server/', '^src/merge\\.ts$'] },
  // 4 the public API
  { name: 'api', paths: ['^src/index\\.ts$'] },
  // 5 the command line: parses, calls, prints
  { name: 'cli', paths: ['^src/cli/'] },
];

const any = (paths) => `(${paths.join('|')})`;
const upward = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `no-upward-from-${floor.name}`,
  severity: 'error',
  comment: `${floor.name} may not import a floor above it`,
  from: { path: any(floor.paths) },
  to: { path: any(FLOORS.slice(i + 1).flatMap((f) => f.paths)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import circle, counting import type and lazy import()', from: {}, to: { circular: true } },
    { name: 'on-a-floor', severity: 'error', comment: 'every file under src/ belongs to a floor in .dependency-cruiser.cjs', from: { path: '^src/', pathNot: any(FLOORS.flatMap((f) => f.paths)) }, to: {} },
    { name: 'analyze-is-pure', severity: 'error', comment: 'analyze/ is pure functions over numbers: it imports only plain data and its own files', from: { path: '^src/analyze/' }, to: { path: '^src/', pathNot: '^src/(analyze/|model/|types\\.ts$|errors\\.ts$)' } },
    ...upward,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
