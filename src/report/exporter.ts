// Exporters turn a Report into text. They are pure (`render(report) → string`), one file per
// format, and share `format.ts` for every number; writing to disk is `write-atomic.ts`'s job.
// (hyperfine's `export/` folder; autocannon's printer returns a string for API users.)

// The registry of every exporter is exporters.ts; each exporter imports only this interface.
import type { Report } from '../types.js';

export interface RenderOptions {
  /** Emit ANSI colour codes. Only the console exporter colours; default false. */
  color: boolean;
  /** Terminal width in columns; wide tables (the sweep) drop their least needed columns to fit. Default: no limit. */
  width?: number;
}

export interface Exporter {
  /** Name used by --format, e.g. 'json'. */
  format: string;
  /** File extension without the dot, e.g. 'md'. */
  extension: string;
  render(report: Report, options?: RenderOptions): string;
}
