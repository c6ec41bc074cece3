// Validates data against report.schema.json (JSON Schema 2020-12), the published contract of the
// JSON report. `compare` and the CLI tests use it to reject reports they cannot read.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

/**
 * The schema ships at src/report/report.schema.json (package.json "files" lists it). This module
 * runs from src/report/ (tests) or dist/report/ (built), and both sit two levels below the
 * package root; a copy beside the module, if a build step adds one, wins.
 */
function schemaPath(): string {
  const candidates = [
    new URL('./report.schema.json', import.meta.url),
    new URL('../../src/report/report.schema.json', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`report.schema.json not found; looked in ${candidates.join(', ')}`);
  return found;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as object;
    // discriminator: report a wrong `status` as one error instead of three failed oneOf branches.
    const ajv = new Ajv2020({ allErrors: true, discriminator: true, allowUnionTypes: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** The report's JSON Schema as an object (for tools that want to publish or embed it). */
export function reportSchema(): object {
  return validator().schema as object;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(report)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unexpected property '${String(params.additionalProperty)}'`;
    case 'required':
      return `${where}: missing required property '${String(params.missingProperty)}'`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'discriminator':
      return `${where}/${String(params.tag)}: must be one of "ok", "failed", "skipped" (got ${JSON.stringify(params.tagValue)})`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/** Check `data` against the report schema; errors are one readable line each ("/trials/0/...: ..."). */
export function validateReport(data: unknown): ValidationResult {
  const validate = validator();
  if (validate(data)) return { valid: true };
  // A missing `status` is already reported by `required`; drop the discriminator's echo of it.
  const relevant = (validate.errors ?? []).filter(
    (error) => !(error.keyword === 'discriminator' && error.params.tagValue === undefined),
  );
  const errors = [...new Set(relevant.map(describe))];
  return { valid: false, errors };
}
