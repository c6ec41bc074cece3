// `inferbench report`: render a saved report or comparison in another format (spawns the built CLI).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderFile } from '../../src/cli/report-action.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/types.js';
import { error } from '../helpers/errors.js';

const REPORT = 'test/data/compare/cnn-quiet.json';
let dir: string;

function inferbench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/inferbench', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferbench-report-'));
});

describe('inferbench report', () => {
  const report = (): Report => JSON.parse(readFileSync(REPORT, 'utf8')) as Report;

  test('html to a file (the format follows -o), byte-identical to the exporter', () => {
    const out = join(dir, 'quiet.html');
    const r = inferbench('report', REPORT, '-o', out);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`report written: ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(renderHtml(report()));
  });

  test('--format md renders the markdown exporter\'s text', () => {
    expect(renderFile(REPORT, { format: 'md' })).toBe(renderMarkdown(report()));
  });

  test('a saved comparison renders as HTML with its verdict', () => {
    const cmp = join(dir, 'cmp.json');
    expect(inferbench('compare', 'test/data/compare/cnn-t1-a.json', 'test/data/compare/cnn-t1-b.json', '--format', 'json', '-o', cmp, '--quiet').status).toBe(0);
    const r = inferbench('report', cmp, '--format', 'html');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('data-chart="compare"');
    expect(r.stdout).toMatch(/class="verdict v-(unchanged|inconclusive)"/);
  });

  test('compare --format html -o writes the comparison page', () => {
    const out = join(dir, 'cmp.html');
    expect(inferbench('compare', 'test/data/compare/cnn-t1-a.json', 'test/data/compare/cnn-slow-t1.json', '--format', 'html', '-o', out, '--quiet').status).toBe(1);
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<span class="verdict v-regressed">▲ regressed</span>');
  });

  test('bad input is one error line and exit 2', () => {
    const notJson = inferbench('report', 'test/data/compare/not-json.txt', '--format', 'html');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^error: test\/data\/compare\/not-json.txt is not JSON.*\nhint: pass a report written by/);
  });

  test('unknown formats, comparisons of a newer format and non-reports are usage errors', () => {
    const unknown = error(() => renderFile(REPORT, { format: 'pdf' }));
    expect([unknown.code, unknown.message, unknown.hint]).toEqual(['usage', "unknown report format 'pdf'", 'use one of: console, json, md, csv, html (comma-separated)']);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'inferbench-compare/9', trials: [] }));
    expect(error(() => renderFile(future, {})).message).toMatch(/comparison format 'inferbench-compare\/9' is not supported/);
    expect(error(() => renderFile('test/data/compare/not-a-report.json', {})).message).toMatch(/is not a valid inferbench report/);
    expect(error(() => renderFile(join(dir, 'missing.json'), {})).message).toMatch(/^cannot read .*missing.json \(ENOENT\)/);
  });

  test('--help of profile lists html among the formats', () => {
    expect(inferbench('profile', '--help').stdout.replace(/\s+/g, ' ')).toMatch(/report file formats: json, md, csv, html, console/); // wrapped to the terminal's width
  });
});
