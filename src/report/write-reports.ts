// Writing a report in every requested format, each file atomically (io/write-atomic.ts), named
// after the model and the run's start time.
import { basename, dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../io/write-atomic.js';
import type { Report } from '../types.js';
import { exporterFor } from './exporters.js';
import { fileStamp } from './format.js';

/** Characters safe in a file name on every OS we run on. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'model';
}

/**
 * `<model-basename>-<YYYYMMDD-HHMMSS>` (UTC, from startedAt), e.g. "resnet50-20250131-140509"
 * ("…-shard2of4" for shard 2/4). A
 * TensorFlow.js model is always `model.json`: its folder names it ("cnn" for fixtures/tf/cnn/model.json).
 */
export function reportBaseName(report: Report): string {
  const path = report.model.path.replace(/\\/g, '/');
  const file = basename(path) === 'model.json' && basename(dirname(path)) !== '' ? basename(dirname(path)) : basename(path);
  const stem = file.slice(0, file.length - extname(file).length) || file;
  // Shards started in the same second (local shard processes) must not overwrite each other.
  const shard = report.shard === undefined ? '' : `-shard${report.shard.index}of${report.shard.count}`;
  return `${safeName(stem)}-${fileStamp(report.startedAt)}${shard}`;
}

/**
 * `inferbench run`'s file name for a model's report: `<model-name>` without extension, stable, so a
 * CI job finds last run's report (and `inferbench merge -o DIR` writes the same names).
 */
export function reportStem(modelPath: string): string {
  const file = basename(modelPath);
  return file.slice(0, file.length - extname(file).length) || file;
}

export interface WriteReportsOptions {
  /** Directory to write into; created when missing. */
  outDir: string;
  /** Exporter format names, e.g. ['json', 'markdown']. Unknown names throw before any write. */
  formats: readonly string[];
  /** File name without extension; defaults to reportBaseName(report). */
  baseName?: string;
}

/** Render the report in each format and write `<outDir>/<baseName>.<ext>`; returns the paths. */
export function writeReports(report: Report, options: WriteReportsOptions): string[] {
  const chosen = [...new Set(options.formats.map((format) => exporterFor(format)))];
  const baseName = options.baseName ?? reportBaseName(report);
  return chosen.map((exporter) => {
    const path = join(options.outDir, `${baseName}.${exporter.extension}`);
    writeFileAtomic(path, exporter.render(report, { color: false }));
    return path;
  });
}
