// Saving reports without losing them. The output directory is checked before anything is
// measured (exit 2 with the reason); if a write still fails later (disk full, directory removed),
// the reports go to a fresh directory under the OS temp dir and the user is told where — results
// that took minutes to measure are never dropped for a path problem.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferbenchError, messageOf } from '../errors.js';
import { outputDirProblem } from '../io/output-dir.js';
import { reportBaseName, writeReports } from '../report/write-reports.js';
import type { Report } from '../types.js';

export interface SaveOutcome {
  paths: string[];
  /** Set when the reports went to the fallback directory: why the chosen one failed. */
  fellBack?: string;
}

/** Throws a usage error (exit 2) when reports cannot be written to `outDir`. */
export function checkOutputDir(outDir: string, flag = '--out'): void {
  const problem = outputDirProblem(outDir);
  if (problem) throw new InferbenchError('usage', `${flag} ${outDir}: cannot write reports there: ${problem}`, `choose a writable directory with ${flag}, or pass --no-save`);
}

export class ReportSaver {
  private baseName: string | undefined;
  private outDir: string;
  private fellBack: string | undefined;

  constructor(outDir: string, private readonly formats: readonly string[]) {
    this.outDir = outDir;
  }

  /** Write every format; on failure, once, switch to a temp directory and write there. */
  save(report: Report): SaveOutcome {
    // One base name per run, so each partial rewrite replaces the previous file atomically.
    this.baseName ??= reportBaseName(report);
    try {
      return this.write(report);
    } catch (error) {
      if (this.fellBack !== undefined) throw error;
      this.fellBack = messageOf(error);
      this.outDir = mkdtempSync(join(tmpdir(), 'inferbench-reports-'));
      return this.write(report);
    }
  }

  private write(report: Report): SaveOutcome {
    const paths = writeReports(report, { outDir: this.outDir, formats: this.formats, baseName: this.baseName! });
    return { paths, ...(this.fellBack !== undefined && { fellBack: this.fellBack }) };
  }
}
