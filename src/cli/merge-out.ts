// Whether `inferbench merge -o` names one file or a directory: light, for the command's output
// probe (merge-command.ts) and the writer (merge-action.ts) alike.
import { extname } from 'node:path';

/** -o names a file when it ends in a report format's extension; otherwise a directory (one report per model). */
export function outIsFile(out: string): boolean {
  return ['.json', '.md', '.markdown', '.csv', '.html', '.txt'].includes(extname(out).toLowerCase()) && !out.endsWith('/');
}
