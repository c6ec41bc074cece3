// Reading a JSON file the user named (a report, a comparison, a config). Only a regular file is
// opened: a named pipe with no writer blocks open() forever and /dev/zero never ends, and a
// process blocked in a synchronous read cannot even act on SIGTERM (its handler never runs).
import { readFileSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/**
 * The UTF-8 text of the regular file at `path`. Throws the fs error (its `code`: ENOENT, EACCES…),
 * or an Error with code EISDIR or ENOTREG and a message saying what the path is.
 */
export function readRegularText(path: string): string {
  const info = statSync(path);
  if (info.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
  if (!info.isFile()) throw Object.assign(new Error(`not a regular file (it is ${kindOf(info)})`), { code: 'ENOTREG' });
  return readFileSync(path, 'utf8');
}

/**
 * Throws (code ENOTREG, EISDIR, or the fs error) unless `path` is a regular file; async, for the
 * pipeline's readers. `allowFifo`: a named pipe is a stream source (--data read as it arrives, the
 * io-bound case); the pipeline reads it asynchronously, so a pipe with no writer waits without
 * blocking the event loop, and a stop signal still ends the run. Devices and sockets never are.
 */
export async function checkRegularFile(path: string, options: { allowFifo?: boolean } = {}): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
  if (options.allowFifo === true && info.isFIFO()) return;
  if (!info.isFile()) throw Object.assign(new Error(`not a regular file (it is ${kindOf(info)})`), { code: 'ENOTREG' });
}
