import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { InferbenchError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/io/write-atomic.js';
import { reportBaseName, writeReports } from '../../src/report/write-reports.js';
import { validateReport } from '../../src/report/validate.js';
import { sampleReport } from '../helpers/sample-report.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-report-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('writes the file, creating directories, and leaves no temp file', () => {
  const path = join(dir, 'a', 'b', 'report.json');
  writeFileAtomic(path, 'one\n');
  writeFileAtomic(path, 'two\n');
  expect(readFileSync(path, 'utf8')).toBe('two\n');
  expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['report.json']);
});

test('on failure throws output-failed, leaves no temp file and the old file untouched', () => {
  const old = join(dir, 'report.json');
  writeFileSync(old, 'old\n');
  const blocker = join(dir, 'not-a-dir');
  writeFileSync(blocker, 'a file\n');
  const target = join(blocker, 'report.json');
  let caught: unknown;
  try {
    writeFileAtomic(target, 'new\n');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InferbenchError);
  const error = caught as InferbenchError;
  expect(error.code).toBe('output-failed');
  expect(error.message).toContain(`cannot write report ${target}:`);
  expect(error.hint).toBeTruthy();
  expect(readFileSync(old, 'utf8')).toBe('old\n');
  expect(readdirSync(dir).sort()).toEqual(['not-a-dir', 'report.json']);
});

test('a failed rename removes the temp file', () => {
  // The target is an existing non-empty directory: rename over it fails after the temp is written.
  const target = join(dir, 'report.json');
  writeFileAtomic(join(target, 'inner'), 'x');
  expect(() => writeFileAtomic(target, 'new\n')).toThrow(InferbenchError);
  expect(readdirSync(dir)).toEqual(['report.json']);
});

test('reportBaseName is <model-basename>-<YYYYMMDD-HHMMSS> in UTC', () => {
  expect(reportBaseName(sampleReport())).toBe('resnet_tiny-20250131-140509');
});

test('writeReports writes one file per format with the right extension', () => {
  const report = sampleReport();
  const paths = writeReports(report, { outDir: join(dir, 'out'), formats: ['json', 'markdown', 'console'] });
  const base = join(dir, 'out', 'resnet_tiny-20250131-140509');
  expect(paths).toEqual([`${base}.json`, `${base}.md`, `${base}.txt`]);
  expect(readdirSync(join(dir, 'out')).sort()).toEqual([
    'resnet_tiny-20250131-140509.json',
    'resnet_tiny-20250131-140509.md',
    'resnet_tiny-20250131-140509.txt',
  ]);
  expect(validateReport(JSON.parse(readFileSync(`${base}.json`, 'utf8')))).toEqual({ valid: true });
  expect(readFileSync(`${base}.txt`, 'utf8')).not.toContain('\x1b[');
});

test('writeReports rejects an unknown format before writing anything', () => {
  expect(() => writeReports(sampleReport(), { outDir: join(dir, 'out'), formats: ['json', 'pdf'] })).toThrow(
    /unknown report format 'pdf'/,
  );
  expect(readdirSync(dir)).toEqual([]);
});
