// Saving a profile's report files without losing them. The frame checks the output directory
// before anything is measured (exit 2 with the reason); if a write still fails later (disk full,
// directory removed), the reports go to a fresh directory under the OS temp dir and the user is
// told where; if the temp dir fails too, nothing throws: the outcome says so and the caller prints
// the report to stdout as the last resort.
import { messageOf } from '../errors.js';
import { reportBaseName, writeReports } from '../report/write-reports.js';
import type { Report } from '../types.js';
import { fallbackDirectory } from '../io/fallback-dir.js';

export interface SaveOutcome {
  paths: string[];
  /** Set when the reports did not go to the chosen directory: why it failed. */
  fellBack?: string;
  /** Set when the temp directory failed too: nothing was written, and why. */
  lost?: string;
}

export class ReportSaver {
  private baseName: string | undefined;
  private outDir: string;
  private fellBack: string | undefined;
  private lost: string | undefined;

  constructor(outDir: string, private readonly formats: readonly string[]) {
    this.outDir = outDir;
  }

  /** Write every format; on failure, once, switch to a temp directory and write there. */
  save(report: Report): SaveOutcome {
    // One base name per run, so each partial rewrite replaces the previous file atomically.
    this.baseName ??= reportBaseName(report);
    if (this.lost !== undefined) return this.outcome([]);
    try {
      return this.write(report);
    } catch (error) {
      if (this.fellBack !== undefined) {
        this.lost = messageOf(error);
        return this.outcome([]);
      }
      this.fellBack = messageOf(error);
      const fallback = fallbackDirectory();
      if ('problem' in fallback) {
        this.lost = fallback.problem;
        return this.outcome([]);
      }
      this.outDir = fallback.dir;
      return this.save(report);
    }
  }

  private write(report: Report): SaveOutcome {
    return this.outcome(writeReports(report, { outDir: this.outDir, formats: this.formats, baseName: this.baseName! }));
  }

  private outcome(paths: string[]): SaveOutcome {
    return { paths, ...(this.fellBack !== undefined && { fellBack: this.fellBack }), ...(this.lost !== undefined && { lost: this.lost }) };
  }
}
