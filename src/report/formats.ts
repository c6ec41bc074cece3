// The report format names (profile --format, report --format): plain names, so that `--help` can
// list them without loading the exporters (exporters.ts checks it has one for each).
export const REPORT_FORMATS = ['console', 'json', 'markdown', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
