// The public types of a pipeline: what a user's `--pipeline ./pipeline.mjs` module exports, and
// what it is given. They are re-exported from the package, so a user writing
//   import type { PipelineModule } from 'inferbench';
//   export default { preprocess(items, ctx) { ... } } satisfies PipelineModule<Uint8Array>;
// gets autocompletion. Per iteration the stages are timed separately:
//   load        DataSource.read of the batch's items (real I/O; free with --data-cache)
//   preprocess  decode (unless --data-cache cached it) + preprocess + the runtime's feeds
//   inference   the model
//   postprocess the runtime's outputs to host memory + postprocess
import type { HostTensor } from '../adapters/adapter.js';
import type { TensorSpec } from '../types.js';

export type { HostTensor, TypedArray } from '../adapters/adapter.js';
export type { ElementType, TensorSpec } from '../types.js';

/** What every step of a pipeline is given. Built once per trial, before anything is timed. */
export interface PipelineContext {
  /** The model's inputs (names, element types, shapes with symbolic dims). */
  inputs: TensorSpec[];
  /** Concrete shape of each input by name, with the trial's batch applied. */
  shapes: Map<string, number[]>;
  /** Items per batch: the size of the batch dim (1 when the model has none). */
  batch: number;
  /** The model's outputs. */
  outputs: TensorSpec[];
  /** `--pipeline-opt key=value` pairs. */
  options: Record<string, string>;
}

/** One file of a sample that is a directory (an ONNX `test_data_set_N/` of `input_K.pb` files). */
export interface RawPart {
  path: string;
  bytes: Uint8Array;
}

/** One dataset entry as read from disk. */
export interface RawItem {
  /** Position in the data source, 0-based. */
  index: number;
  /** The file it came from; `file.txt:3` for line 3 of a text file; a directory for a sample directory. */
  path: string;
  /** The file's bytes (or the line's, without its newline); empty for a sample directory. */
  bytes: Uint8Array;
  /** For a sample directory: its files, sorted by name (input_2 before input_10). */
  parts?: RawPart[];
}

export interface PipelineModule<Decoded = unknown, Result = unknown> {
  /** Shown in the report; defaults to the module's file name. */
  name?: string;
  /**
   * File extensions (lower case, with the dot: '.jpg') that the pipeline reads, used to filter a
   * `--data` directory. Absent: every file.
   */
  extensions?: readonly string[];
  /**
   * What one item of `--data` is: a file (default), each non-empty line of the text files, or a
   * directory of files per sample (ONNX test data sets: `test_data_set_0/input_0.pb`).
   */
  unit?: 'file' | 'line' | 'directory';
  /** Once per trial, before anything is timed: read tokenizers, labels, check the model's inputs. */
  setup?(ctx: PipelineContext): void | Promise<void>;
  /** Optional decode step run on each RawItem when it is loaded (e.g. image decode) — timed with preprocess unless --data-cache caches its output. */
  decode?(item: RawItem, ctx: PipelineContext): Decoded | Promise<Decoded>;
  /** One batch of decoded items (RawItems when there is no decode) → model feeds, one per input. */
  preprocess(items: Decoded[], ctx: PipelineContext): HostTensor[] | Promise<HostTensor[]>;
  /** The model's outputs (in host memory) → whatever the service would return. */
  postprocess?(outputs: HostTensor[], ctx: PipelineContext): Result | Promise<Result>;
  /** Once per trial, after the last iteration. */
  teardown?(): void | Promise<void>;
}

/** The items of `--data`: a file, a directory or a glob, in a fixed (sorted) order. */
export interface DataSource {
  readonly size: number;
  /** For the report, e.g. "12 files under data/images (.jpg .png)". */
  readonly description: string;
  /** Reads item `index` (0 ≤ index < size) from disk, or from memory when cached. */
  read(index: number): Promise<RawItem>;
}

/** The stages a pipeline step runs in, as errors and the report name them. */
export type PipelineStage = 'setup' | 'load' | 'decode' | 'preprocess' | 'postprocess' | 'teardown';
