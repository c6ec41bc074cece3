import { statSync } from 'node:fs';

/** True when `path` is a regular file (false when it is missing, a directory, or unreadable). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
