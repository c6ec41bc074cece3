// Reading a report back from disk for `compare` / `run`: parse, validate against the published
// schema, and turn every problem into an InferbenchError('usage') (exit 2) that names the file.
import { readRegularText } from '../io/read-text.js';
import { InferbenchError } from '../errors.js';
import { validateReport } from '../report/validate.js';
import type { Report } from '../types.js';

/** At most this many schema errors are quoted; the rest are counted. */
const MAX_ERRORS_SHOWN = 3;

export function parseReport(text: string, label: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InferbenchError('usage', `${label} is not JSON: ${error instanceof Error ? error.message : String(error)}`, 'pass a report written by `inferbench profile --format json` (or --json)');
  }
  const result = validateReport(data);
  if (!result.valid) {
    const shown = result.errors.slice(0, MAX_ERRORS_SHOWN).join('; ');
    const more = result.errors.length > MAX_ERRORS_SHOWN ? ` (and ${result.errors.length - MAX_ERRORS_SHOWN} more)` : '';
    throw new InferbenchError('usage', `${label} is not a valid inferbench report: ${shown}${more}`, 'pass a JSON report written by `inferbench profile`; reports from other tools or hand-edited ones are rejected');
  }
  return data as Report;
}

export function readReport(path: string): Report {
  let text: string;
  try {
    text = readRegularText(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOTREG' || code === 'EISDIR' ? `: ${message}` : code ? ` (${code})` : '';
    throw new InferbenchError('usage', `cannot read report ${path}${why}`, code === 'ENOENT' ? 'check the path; a baseline must exist before compare runs' : undefined);
  }
  return parseReport(text, path);
}
