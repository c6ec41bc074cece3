import { expect, test } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { validateReport } from '../../src/report/validate.js';
import { sampleReport } from '../helpers/sample-report.js';

test('the sample report validates against the schema', () => {
  expect(validateReport(sampleReport())).toEqual({ valid: true });
  expect(validateReport(sampleReport({ interrupted: true }))).toEqual({ valid: true });
});

test('the JSON report round-trips and still validates', () => {
  const report = sampleReport();
  const text = renderJson(report);
  expect(text.endsWith('}\n')).toBe(true);
  const parsed: unknown = JSON.parse(text);
  expect(parsed).toEqual(report);
  expect(validateReport(parsed)).toEqual({ valid: true });
  // Key order is the object's own.
  expect(Object.keys(parsed as object)).toEqual(Object.keys(report));
});

test('a missing field fails with a readable error naming the path', () => {
  const broken = JSON.parse(renderJson(sampleReport())) as { model: Record<string, unknown> };
  delete broken.model.sha256;
  const result = validateReport(broken);
  expect(result.valid).toBe(false);
  if (result.valid) return;
  expect(result.errors).toEqual(["/model: missing required property 'sha256'"]);
});

test('a wrong trial status fails with one readable error', () => {
  const broken = JSON.parse(renderJson(sampleReport())) as { trials: Record<string, unknown>[] };
  const trial = broken.trials[1];
  if (trial === undefined) throw new Error('sample has no second trial');
  trial.status = 'crashed';
  const result = validateReport(broken);
  expect(result).toEqual({
    valid: false,
    errors: ['/trials/1/status: must be one of "ok", "failed", "skipped" (got "crashed")'],
  });
});

test('unknown properties, wrong types and the schema version are rejected', () => {
  const broken = JSON.parse(renderJson(sampleReport())) as Record<string, unknown>;
  broken.schemaVersion = 2;
  broken.extra = true;
  const result = validateReport(broken);
  expect(result.valid).toBe(false);
  if (result.valid) return;
  expect(result.errors).toContain('/schemaVersion: must be 1');
  expect(result.errors).toContain("(report): unexpected property 'extra'");
  expect(validateReport('not a report').valid).toBe(false);
});
