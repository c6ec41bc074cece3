// The JSON report: the Report object as it is, so `compare` and other tools can read it back.
// Key order is the object's own; two-space indent and a trailing newline keep diffs clean.

import type { Report } from '../types.js';
import type { Exporter } from './exporter.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const jsonExporter: Exporter = {
  format: 'json',
  extension: 'json',
  render: (report) => renderJson(report),
};
