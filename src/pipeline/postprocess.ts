// Built-in postprocess steps for classifiers, composable in order:
//   --postprocess softmax,topk=5 --labels labels.txt
// reading the model's first output, or the one named by an `output=NAME` entry of the list.
// `softmax` turns each row's scores into probabilities (max-subtracted, in float64) for the steps
// after it; `argmax` and `topk=K` pick classes. A row is the output's last axis; every other axis
// (batch, ...) indexes rows. The result is plain data, one row per batch item.
import { readFile } from 'node:fs/promises';
import { checkRegularFile } from '../io/read-text.js';
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError, messageOf } from '../errors.js';

export type PostprocessStep = { kind: 'softmax' } | { kind: 'argmax' } | { kind: 'topk'; k: number };

export interface ClassScore {
  index: number;
  /** From --labels, when given. */
  label?: string;
  score: number;
}

export interface ClassificationRow {
  /** The scores after the steps (probabilities after softmax); only when no argmax/topk follows. */
  scores?: number[];
  argmax?: ClassScore;
  topk?: ClassScore[];
}

export interface PostprocessResult {
  /** The output the steps read. */
  output: string;
  steps: string[];
  rows: ClassificationRow[];
}

export interface PostprocessSpec {
  steps: PostprocessStep[];
  /** The output the steps read (`output=NAME`); default: the model's first output. */
  output?: string;
}

/** Parses `softmax,argmax,topk=5` (and `output=NAME`). */
export function parsePostprocessSteps(list: string): PostprocessSpec {
  const spec: PostprocessSpec = { steps: [] };
  for (const s of list.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const k = /^top-?k=(\d+)$/i.exec(s)?.[1];
    const output = /^output=(.+)$/.exec(s)?.[1];
    if (s === 'softmax' || s === 'argmax') spec.steps.push({ kind: s });
    else if (k !== undefined && Number(k) > 0) spec.steps.push({ kind: 'topk', k: Number(k) });
    else if (output !== undefined) spec.output = output;
    else throw new InferbenchError('usage', `--postprocess ${s} is not a step`, 'steps: softmax, argmax, topk=K, output=NAME (e.g. --postprocess softmax,topk=5)');
  }
  return spec;
}

/** A labels file: one label per line, in class order; a trailing empty line is ignored. */
export async function readLabels(path: string): Promise<string[]> {
  let text: string;
  try {
    await checkRegularFile(path); // a FIFO would block the read forever
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InferbenchError('usage', `cannot read labels file ${path}: ${messageOf(error)}`, 'pass a text file with one label per line');
  }
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** IEEE 754 half-precision bits → number. */
export function halfToNumber(bits: number): number {
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function numbersOf(t: HostTensor): number[] {
  if (Array.isArray(t.data)) throw new InferbenchError('usage', `--postprocess: output '${t.name}' holds strings`, 'name a numeric output: --postprocess output=NAME,...');
  if (t.type === 'float16') return Array.from(t.data as Uint16Array, halfToNumber);
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

export function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The K best classes, highest score first; ties keep the lower index first. */
export function topK(row: number[], k: number, labels?: readonly string[]): ClassScore[] {
  const order = row.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
  return order.slice(0, k).map((c) => (labels ? { ...c, label: labels[c.index] as string } : c));
}

export interface PostprocessConfig {
  /** Labels by class index (--labels). */
  labels?: readonly string[] | undefined;
  /** The output to read; default: the first output. */
  output?: string | undefined;
}

/** Applies the steps to the model's outputs. */
export function runPostprocess(steps: readonly PostprocessStep[], outputs: readonly HostTensor[], config: PostprocessConfig = {}): PostprocessResult {
  const tensor = config.output === undefined ? outputs[0] : outputs.find((t) => t.name === config.output);
  if (tensor === undefined) {
    throw new InferbenchError('usage', `--postprocess: the model has no output ${config.output ?? ''}`.trim(), `outputs: ${outputs.map((t) => t.name).join(', ')}`);
  }
  const classes = tensor.dims[tensor.dims.length - 1] ?? 1;
  const { labels } = config;
  if (labels && labels.length !== classes) {
    throw new InferbenchError('usage', `--labels has ${labels.length} labels but output '${tensor.name}' has ${classes} classes`, 'give one label per class, in class order');
  }
  const values = numbersOf(tensor);
  const rows: ClassificationRow[] = [];
  for (let start = 0; start < values.length; start += classes) {
    let scores = values.slice(start, start + classes);
    const row: ClassificationRow = {};
    for (const step of steps) {
      if (step.kind === 'softmax') scores = softmax(scores);
      else if (step.kind === 'argmax') row.argmax = topK(scores, 1, labels)[0] as ClassScore;
      else row.topk = topK(scores, step.k, labels);
    }
    if (row.argmax === undefined && row.topk === undefined) row.scores = scores;
    rows.push(row);
  }
  return { output: tensor.name, steps: steps.map((s) => (s.kind === 'topk' ? `topk=${s.k}` : s.kind)), rows };
}
