// Checks on a model path, shared by every adapter: one message for a missing or unreadable model.
import { constants, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { InferbenchError } from '../errors.js';

const PATH_HINT = 'check the path; a model is an .onnx file, a TensorFlow.js model.json or a SavedModel directory';

/**
 * Refuse, before any runtime opens it, a path that is missing, unreadable, or not a regular file
 * or directory: opening a FIFO blocks until a writer appears (forever, for a typo), and a
 * character device (/dev/zero) never ends. stat() does not open the file, so it cannot block.
 */
export async function checkModelPath(modelPath: string): Promise<void> {
  const info = await statModel(modelPath);
  if (!info.isFile() && !info.isDirectory()) {
    throw new InferbenchError('model-invalid', `model ${modelPath} is not a regular file (it is a ${kindOf(info)})`, 'pass the model file itself; copy a streamed model to a file first');
  }
  await access(modelPath, constants.R_OK | (info.isDirectory() ? constants.X_OK : 0)).catch((error: NodeJS.ErrnoException) => {
    throw new InferbenchError('model-not-found', `cannot read model ${modelPath}: ${reasonOf(error)}`, 'check the file permissions (ls -l), or run as a user who can read it');
  });
}

/** stat() of a model path; a missing or unreadable path is InferbenchError('model-not-found') with `hint`. */
export async function statModel(path: string, hint = PATH_HINT): Promise<Stats> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InferbenchError('model-not-found', error.code === 'ENOENT' ? `model not found: ${path}` : `cannot read model ${path}: ${reasonOf(error)}`, hint);
  });
}

function reasonOf(error: NodeJS.ErrnoException): string {
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied';
  if (error.code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (error.code === 'ELOOP') return 'too many symbolic links';
  if (error.code === 'ENAMETOOLONG') return 'the path is too long';
  return error.message;
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'named pipe (FIFO)';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice()) return 'character device';
  if (info.isBlockDevice()) return 'block device';
  return 'special file';
}
