// `--data PATH`: a file, a directory (walked recursively) or a glob, as a fixed, naturally sorted
// list of items. Reading an item is real I/O — one fs.promises.readFile per file item (a ranged
// read for a line item) — because that is what the `load` stage measures; `cache: true` keeps each
// item's bytes after its first read, so `load` then measures a memory lookup (--data-cache).
// Everything else (walking, stat, counting lines) happens in openDataSource, before any timing.
import type { Dirent } from 'node:fs';
import { open, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { checkRegularFile } from '../io/read-text.js';
import { basename, extname, join } from 'node:path';
import { InferbenchError } from '../errors.js';
import { glob, isGlob } from './glob.js';
import type { DataSource, RawItem } from './types.js';

export interface DataSourceOptions {
  /** Keep items in memory after their first read (--data-cache). */
  cache: boolean;
  /** Lower-case extensions with the dot ('.jpg') a directory or glob is filtered by; absent: all. */
  extensions?: readonly string[] | undefined;
  /** What one item is (see PipelineModule.unit); default 'file'. */
  unit?: 'file' | 'line' | 'directory' | undefined;
}

type Entry =
  | { kind: 'file'; path: string }
  | { kind: 'line'; path: string; line: number; start: number; end: number }
  | { kind: 'dir'; path: string; files: string[] };

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
/** ONNX test data sets name a sample's files input_0.pb, input_1.pb, ... */
const SAMPLE_FILE = /^input_\d+\.[a-z0-9]+$/i;
/** ...and the expected outputs output_0.pb, ...: never an input (see --check-outputs). */
export const EXPECTED_OUTPUT_FILE = /^output_\d+\.pb$/i;

function accepts(path: string, extensions: readonly string[] | undefined): boolean {
  return extensions === undefined || extensions.includes(extname(path).toLowerCase());
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

/** A directory entry, a symbolic link to a directory included (followed, as `find -L` does). */
async function isDirEntry(entry: Dirent, path: string): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return stat(path).then((s) => s.isDirectory(), () => false); // a dangling link is no directory
}

/** Files under `dir`, recursively (symlinked directories followed once each), dot entries skipped, naturally sorted. */
async function filesUnder(dir: string, extensions: readonly string[] | undefined, seen = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (seen.has(real)) return []; // a link back up the tree
  seen.add(real);
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => natural(a.name, b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (await isDirEntry(entry, path)) out.push(...(await filesUnder(path, extensions, seen)));
    else if (accepts(path, extensions) && !EXPECTED_OUTPUT_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** The accepted files directly in `dir` (a sample directory's parts). */
async function filesIn(dir: string, extensions: readonly string[] | undefined): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && accepts(e.name, extensions) && !EXPECTED_OUTPUT_FILE.test(e.name))
    .map((e) => join(dir, e.name))
    .sort(natural);
}

/**
 * Sample directories for `unit: 'directory'`: the directory itself when its files are
 * input_N.* (it is one test_data_set_N), else each subdirectory holding accepted files, else each
 * accepted file on its own (a single-input model's .npy files).
 */
async function sampleEntries(dir: string, extensions: readonly string[] | undefined): Promise<Entry[]> {
  const own = await filesIn(dir, extensions);
  if (own.length > 0 && own.every((f) => SAMPLE_FILE.test(basename(f)))) return [{ kind: 'dir', path: dir, files: own }];
  const subdirs: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.name.startsWith('.') && (await isDirEntry(e, join(dir, e.name)))) subdirs.push(join(dir, e.name));
  }
  subdirs.sort(natural);
  const samples: Entry[] = [];
  for (const sub of subdirs) {
    const files = await filesIn(sub, extensions);
    if (files.length > 0) samples.push({ kind: 'dir', path: sub, files });
  }
  return samples.length > 0 ? samples : own.map((path): Entry => ({ kind: 'file', path }));
}

/** Line items of a text file: byte ranges of its non-empty lines (without '\r\n' / '\n'). */
async function lineEntries(path: string): Promise<Entry[]> {
  const bytes = await readFile(path);
  const out: Entry[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
    const blank = bytes.subarray(start, end).every((b) => b === 0x20 || b === 0x09);
    if (!blank) out.push({ kind: 'line', path, line, start, end });
    start = i + 1;
    line++;
  }
  return out;
}

async function entriesOf(pathOrGlob: string, options: DataSourceOptions): Promise<Entry[]> {
  const { extensions, unit = 'file' } = options;
  const matches = isGlob(pathOrGlob) ? await glob(pathOrGlob) : [pathOrGlob];
  const entries: Entry[] = [];
  for (const path of matches) {
    const dir = await isDirectory(path).catch(() => {
      throw new InferbenchError('input-invalid', `--data ${path}: not found`, 'pass a file, a directory or a quoted glob such as "data/**/*.jpg"');
    });
    // A device never ends (/dev/zero) and a socket is not a file; a FIFO is a stream source.
    if (!dir) await checkRegularFile(path, { allowFifo: true }).catch((error: Error) => {
      throw new InferbenchError('input-invalid', `--data ${path}: ${error.message}`, 'pass a file, a directory or a quoted glob such as "data/**/*.jpg"');
    });
    if (dir && unit === 'directory') entries.push(...(await sampleEntries(path, extensions)));
    else if (dir) entries.push(...(await filesUnder(path, extensions)).map((p): Entry => ({ kind: 'file', path: p })));
    else if (matches.length === 1 || (accepts(path, extensions) && !EXPECTED_OUTPUT_FILE.test(basename(path)))) entries.push({ kind: 'file', path });
  }
  if (unit !== 'line') return entries;
  const lines: Entry[] = [];
  for (const entry of entries) lines.push(...(await lineEntries(entry.path)));
  return lines;
}

async function readEntry(entry: Entry, index: number): Promise<RawItem> {
  switch (entry.kind) {
    case 'file':
      return { index, path: entry.path, bytes: new Uint8Array(await readFile(entry.path)) };
    case 'line': {
      const handle = await open(entry.path, 'r');
      try {
        const bytes = new Uint8Array(entry.end - entry.start);
        await handle.read(bytes, 0, bytes.length, entry.start);
        return { index, path: `${entry.path}:${entry.line}`, bytes };
      } finally {
        await handle.close();
      }
    }
    case 'dir': {
      const parts = await Promise.all(entry.files.map(async (path) => ({ path, bytes: new Uint8Array(await readFile(path)) })));
      return { index, path: entry.path, bytes: new Uint8Array(0), parts };
    }
  }
}

function describe(pathOrGlob: string, entries: Entry[], options: DataSourceOptions): string {
  const unit = options.unit ?? 'file';
  const noun = unit === 'line' ? 'lines' : unit === 'directory' ? 'samples' : 'files';
  const filter = options.extensions ? ` (${options.extensions.join(' ')})` : '';
  return `${entries.length} ${entries.length === 1 ? noun.slice(0, -1) : noun} from ${pathOrGlob}${filter}`;
}

/** Lists `--data` (a file, a directory or a glob) once; items are read on demand. */
export async function openDataSource(pathOrGlob: string, options: DataSourceOptions): Promise<DataSource> {
  const entries = await entriesOf(pathOrGlob, options);
  if (entries.length === 0) {
    const filter = options.extensions ? ` with extension ${options.extensions.join(', ')}` : '';
    throw new InferbenchError('input-invalid', `--data ${pathOrGlob}: no ${options.unit === 'line' ? 'non-empty lines' : 'files'}${filter}`, 'check the path, or the pipeline chosen with --pipeline');
  }
  const cache = options.cache ? new Map<number, RawItem>() : null;
  return {
    size: entries.length,
    description: describe(pathOrGlob, entries, options) + (cache ? ', cached in memory' : ''),
    async read(index: number): Promise<RawItem> {
      const hit = cache?.get(index);
      if (hit) return hit;
      const entry = entries[index];
      if (entry === undefined) throw new RangeError(`data item ${index} is out of range (0..${entries.length - 1})`);
      const item = await readEntry(entry, index);
      cache?.set(index, item);
      return item;
    },
  };
}

/** Dataset indices of batch `k` (0-based): consecutive items, cycling when the dataset is smaller. */
export function batchIndices(k: number, batch: number, size: number): number[] {
  const out = new Array<number>(batch);
  for (let j = 0; j < batch; j++) out[j] = (k * batch + j) % size;
  return out;
}
