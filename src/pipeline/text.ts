// The built-in `text` pipeline: a Hugging Face `tokenizer.json` run by @huggingface/tokenizers
// (pure JS), BERT-style model inputs by name:
//   input_ids       the tokens, with the tokenizer's special tokens ([CLS] … [SEP]), truncated so
//                   the special tokens survive (as HF's `truncation=True` does), padded with the
//                   pad token to the model's sequence length (ctx.shapes), i.e. padding='max_length'
//   attention_mask  1 for tokens, 0 for padding
//   token_type_ids  the template's type ids (0 for a single sequence), 0 for padding
// int64 or int32, as each input is typed. Items are lines of the --data files (unit=line, the
// default) or whole files (unit=file). decode is UTF-8 decoding; tokenisation is preprocess.
// Options: tokenizer=PATH (required), tokenizer-config=PATH (tokenizer_config.json), unit=line|file.
import { readFile } from 'node:fs/promises';
import { checkRegularFile } from '../io/read-text.js';
import { Tokenizer } from '@huggingface/tokenizers';
import type { HostTensor } from '../adapters/adapter.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { TensorSpec } from '../types.js';
import { TEXT_EXTENSIONS } from './formats.js';
import { checkKeys, choice } from './options.js';
import type { PipelineContext, PipelineModule } from './types.js';

const KEYS = ['tokenizer', 'tokenizer-config', 'unit'] as const;
const ROLES = {
  ids: /^(input_ids|ids|input|tokens|token_ids)$/i,
  mask: /^(attention_mask|input_mask|mask)$/i,
  types: /^(token_type_ids|segment_ids|type_ids)$/i,
};
type Role = keyof typeof ROLES;

/** How a single sequence is framed: the special tokens before and after it, and their type ids. */
interface Template {
  prefix: number[];
  suffix: number[];
  prefixTypes: number[];
  suffixTypes: number[];
  contentType: number;
  pad: number;
}

async function readJson(path: string, what: string): Promise<object> {
  try {
    await checkRegularFile(path); // a FIFO would block the read forever
    return JSON.parse(await readFile(path, 'utf8')) as object;
  } catch (error) {
    throw new InferbenchError('usage', `text pipeline: cannot read ${what} ${path}: ${messageOf(error)}`, 'pass --pipeline-opt tokenizer=path/to/tokenizer.json');
  }
}

export async function loadTokenizer(path: string, configPath?: string): Promise<{ tokenizer: Tokenizer; json: object }> {
  const json = await readJson(path, 'tokenizer');
  const config = configPath === undefined ? {} : await readJson(configPath, 'tokenizer config');
  try {
    return { tokenizer: new Tokenizer(json, config), json };
  } catch (error) {
    throw new InferbenchError('usage', `text pipeline: ${path} is not a tokenizer.json the tokenizer library reads: ${messageOf(error)}`);
  }
}

/** The pad id: tokenizer.json's padding.pad_id, else [PAD] / <pad>, else 0. */
function padId(tokenizer: Tokenizer, json: object): number {
  const fromPadding = (json as { padding?: { pad_id?: unknown } | null }).padding?.pad_id;
  if (typeof fromPadding === 'number') return fromPadding;
  return tokenizer.token_to_id('[PAD]') ?? tokenizer.token_to_id('<pad>') ?? 0;
}

/** Finds the special tokens around a sequence by encoding a probe with and without them. */
export function templateOf(tokenizer: Tokenizer, json: object): Template {
  const probe = 'x';
  const bare = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  const full = tokenizer.encode(probe, { return_token_type_ids: true });
  const types = full.token_type_ids ?? full.ids.map(() => 0);
  let at = -1;
  for (let i = 0; i + bare.length <= full.ids.length && at < 0; i++) {
    if (bare.every((id: number, j: number) => full.ids[i + j] === id)) at = i;
  }
  if (at < 0) at = 0;
  const end = at + bare.length;
  return {
    prefix: full.ids.slice(0, at),
    suffix: full.ids.slice(end),
    prefixTypes: types.slice(0, at),
    suffixTypes: types.slice(end),
    contentType: types[at] ?? 0,
    pad: padId(tokenizer, json),
  };
}

/** One text → ids, mask and type ids of exactly `length` tokens. */
export function encodeFixed(tokenizer: Tokenizer, t: Template, text: string, length: number): { ids: number[]; mask: number[]; types: number[] } {
  const keep = Math.max(0, length - t.prefix.length - t.suffix.length);
  const content = tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, keep);
  const ids = [...t.prefix, ...content, ...t.suffix].slice(0, length);
  const types = [...t.prefixTypes, ...content.map(() => t.contentType), ...t.suffixTypes].slice(0, length);
  const mask = ids.map(() => 1);
  while (ids.length < length) {
    ids.push(t.pad);
    mask.push(0);
    types.push(0);
  }
  return { ids, mask, types };
}

function roleOf(spec: TensorSpec): Role {
  const role = (Object.keys(ROLES) as Role[]).find((r) => ROLES[r].test(spec.name));
  if (role === undefined) {
    throw new InferbenchError('usage', `text pipeline: cannot fill input '${spec.name}' (it fills input_ids, attention_mask and token_type_ids)`, 'write a pipeline module (--pipeline ./pipeline.mjs) for this model');
  }
  if (spec.type !== 'int64' && spec.type !== 'int32') {
    throw new InferbenchError('usage', `text pipeline: input '${spec.name}' is ${spec.type}, not int64 or int32`);
  }
  return role;
}

function sequenceLength(ctx: PipelineContext): number {
  const ids = ctx.inputs.find((s) => ROLES.ids.test(s.name));
  const dims = ids ? ctx.shapes.get(ids.name) : undefined;
  if (ids === undefined || dims === undefined || dims.length !== 2) {
    throw new InferbenchError('usage', `text pipeline: the model needs an input_ids input of shape [batch, sequence] (inputs: ${ctx.inputs.map((s) => s.name).join(', ')})`);
  }
  return dims[1] as number;
}

/** The `text` pipeline with its --pipeline-opt options. */
export function createTextPipeline(options: Record<string, string> = {}): PipelineModule<string> {
  checkKeys('text', options, KEYS);
  const path = options.tokenizer;
  if (path === undefined) throw new InferbenchError('usage', 'the text pipeline needs a tokenizer', 'pass --pipeline-opt tokenizer=path/to/tokenizer.json');
  const unit = choice(options, 'unit', ['line', 'file'] as const) ?? 'line';
  let state: { tokenizer: Tokenizer; template: Template; length: number; roles: Role[] } | null = null;
  return {
    name: 'text',
    extensions: TEXT_EXTENSIONS,
    unit,
    async setup(ctx) {
      const roles = ctx.inputs.map(roleOf);
      const length = sequenceLength(ctx);
      const { tokenizer, json } = await loadTokenizer(path, options['tokenizer-config']);
      state = { tokenizer, template: templateOf(tokenizer, json), length, roles };
    },
    decode: (item) => new TextDecoder().decode(item.bytes).trim(),
    preprocess(texts, ctx): HostTensor[] {
      const s = state;
      if (s === null) throw new Error('text pipeline: setup was not called');
      const rows = texts.map((text) => encodeFixed(s.tokenizer, s.template, text, s.length));
      return ctx.inputs.map((spec, i) => {
        const role = s.roles[i] as Role;
        const values = rows.flatMap((r) => r[role]);
        const data = spec.type === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Int32Array.from(values);
        return { name: spec.name, type: spec.type, dims: [texts.length, s.length], data };
      });
    },
  };
}
