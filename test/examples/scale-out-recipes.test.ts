// The scale-out recipes (examples/github-actions/sharded.yml, examples/kubernetes/*.yaml) parse,
// split the plan the way their shard counts say, and run only real inferbench commands and flags.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/config.js';
import { parseShard } from '../../src/merge/shard.js';
import { parseYamlDocuments, type Yaml } from '../helpers/yaml.js';

type Map = { [key: string]: Yaml };
const map = (value: Yaml | undefined): Map => {
  expect(value).toBeTypeOf('object');
  expect(Array.isArray(value)).toBe(false);
  return value as Map;
};
const list = (value: Yaml | undefined): Yaml[] => {
  expect(Array.isArray(value)).toBe(true);
  return value as Yaml[];
};

function documents(path: string): Yaml[] {
  return parseYamlDocuments(readFileSync(path, 'utf8'));
}

/** Every option a command accepts (its own and the program's), as written on a command line. */
function flagsOf(command: Command, program: Command): Set<string> {
  return new Set([...command.options, ...program.options].flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined));
}

/**
 * The inferbench invocations in a command: the words after `inferbench`, up to the end of the
 * command (a newline, `&&`, `;`, `|`).
 */
function invocations(words: readonly string[]): string[][] {
  const found: string[][] = [];
  words.forEach((w, i) => {
    if (w !== 'inferbench') return;
    const end = words.findIndex((x, j) => j > i && ['&&', ';', '|', '||'].includes(x));
    found.push(words.slice(i + 1, end < 0 ? undefined : end));
  });
  return found;
}

/** Checks an invocation against the real program: the command exists, every flag is one of its flags; returns its --shard value. */
function checkInvocation(args: readonly string[]): { command: string; shard?: string } {
  const program = buildProgram();
  const name = args[0]!;
  const command = program.commands.find((c) => c.name() === name);
  expect(command, `inferbench ${name} is a command`).toBeDefined();
  const flags = flagsOf(command!, program);
  for (const arg of args.slice(1)) {
    if (!arg.startsWith('-')) continue;
    expect(flags.has(arg.split('=')[0]!), `inferbench ${name} ${arg} is a flag of ${name}`).toBe(true);
  }
  const at = args.indexOf('--shard');
  return { command: name, ...(at >= 0 && { shard: args[at + 1]! }) };
}

/** Shell words of a `run:` script; ${{ ... }} expressions stay one word. */
function shellWords(script: string): string[] {
  return script.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, '${{$1}}').replace(/\\\n/g, ' ').split(/\s+/).filter((w) => w !== '');
}

describe('examples/github-actions/sharded.yml', () => {
  const [workflow] = documents('examples/github-actions/sharded.yml');
  const jobs = map(map(workflow).jobs);

  test('N shard jobs run `inferbench run --shard I/N` for I = 1…N, and the shards cover the plan', () => {
    const shardJob = map(jobs.shard);
    const shards = list(map(map(shardJob.strategy).matrix).shard);
    const runs = list(shardJob.steps).flatMap((s) => (typeof map(s).run === 'string' ? invocations(shellWords(map(s).run as string)) : []));
    const measured = runs.map(checkInvocation).filter((i) => i.shard !== undefined);
    expect(measured).toHaveLength(1);
    expect(measured[0]!.command).toBe('run');
    const [index, count] = measured[0]!.shard!.split('/');
    expect(index).toBe('${{matrix.shard}}');
    expect(shards).toEqual(Array.from({ length: Number(count) }, (_, i) => i + 1));
    for (const shard of shards) expect(parseShard(`${String(shard)}/${count}`)).toEqual({ index: shard, count: Number(count) });
    // The config it names is a real one.
    const config = runs[0]![runs[0]!.indexOf('--config') + 1]!;
    expect(loadConfig(config).models.length).toBeGreaterThan(0);
  });

  test('the shard jobs upload their reports; the merge job downloads them all, merges, renders and gates', () => {
    const shardSteps = list(map(jobs.shard).steps).map(map);
    const upload = shardSteps.find((s) => s.uses === 'actions/upload-artifact@v4')!;
    expect(map(upload.with).name).toBe('inferbench-shard-${{ matrix.shard }}');
    expect(map(upload.with).path).toBe('reports/shard/');

    const merge = map(jobs.merge);
    expect(merge.needs).toBe('shard');
    const steps = list(merge.steps).map(map);
    const download = steps.find((s) => s.uses === 'actions/download-artifact@v4')!;
    expect(map(download.with).pattern).toBe('inferbench-shard-*');
    const commands = steps.flatMap((s) => (typeof s.run === 'string' ? invocations(shellWords(s.run)) : []));
    expect(commands.map(checkInvocation).map((c) => c.command)).toEqual(['merge']);
    expect(commands[0]).toEqual(['merge', `${String(map(download.with).path)}`, '-o', 'merged/', '--format', 'json,markdown,html']);
  });
});

describe('examples/kubernetes', () => {
  const docs = documents('examples/kubernetes/indexed-job.yaml').map(map);
  const job = docs.find((d) => d.kind === 'Job')!;
  const container = (j: Map): Map => map(list(map(map(map(j.spec).template).spec).containers)[0]);

  test('an Indexed Job whose completions match --shard job/N, each pod writing to its own folder', () => {
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job']);
    const spec = map(job.spec);
    expect(spec.completionMode).toBe('Indexed');
    const command = list(container(job).command) as string[];
    expect(command.slice(0, 2)).toEqual(['npx', 'inferbench']);
    const { command: name, shard } = checkInvocation(invocations(command)[0]!);
    expect(name).toBe('run');
    expect(shard).toBe(`job/${String(spec.completions)}`);
    expect(spec.parallelism).toBeLessThanOrEqual(spec.completions as number);
    // Every index Kubernetes hands out is a valid shard, and together they are all the shards.
    const completions = spec.completions as number;
    const shards = Array.from({ length: completions }, (_, i) => parseShard(shard!, { JOB_COMPLETION_INDEX: String(i) }).index);
    expect(shards).toEqual(Array.from({ length: completions }, (_, i) => i + 1));
    expect(command[command.indexOf('--out') + 1]).toBe('/reports/shard-$(JOB_COMPLETION_INDEX)');
    expect(loadConfig(command[command.indexOf('--config') + 1]!).models.length).toBeGreaterThan(0);
  });

  test('the merge Job merges the shared volume the shards wrote to', () => {
    const [merge] = documents('examples/kubernetes/merge-job.yaml').map(map);
    const command = list(container(merge!).command) as string[];
    const args = invocations(command)[0]!;
    expect(checkInvocation(args).command).toBe('merge');
    const mount = (j: Map): Yaml => map(list(container(j).volumeMounts)[0]).mountPath;
    expect(mount(merge!)).toBe(mount(job));
    expect(args[1]).toBe(mount(job));
    const claim = (j: Map): Yaml => map(map(list(map(map(map(j.spec).template).spec).volumes)[0]).persistentVolumeClaim).claimName;
    expect(claim(merge!)).toBe(claim(job));
    expect(claim(job)).toBe(map(docs[0]!.metadata).name);
  });
});

describe('the YAML subset parser', () => {
  test('reads what the recipes use and refuses what it does not know', () => {
    expect(parseYamlDocuments('a: 1\nb:\n  - x\n  - k: v\n    j: [1, "two"]\nc: |\n  line 1\n  line 2\n---\nd: { e: f }\n')).toEqual([
      { a: 1, b: ['x', { k: 'v', j: [1, 'two'] }], c: 'line 1\nline 2\n' },
      { d: { e: 'f' } },
    ]);
    expect(() => parseYamlDocuments('a: &anchor 1\n')).toThrow('anchors');
    expect(() => parseYamlDocuments('a: 1\na: 2\n')).toThrow("duplicate key 'a'");
    expect(() => parseYamlDocuments('a: [1,\n  2]\n')).toThrow('close on its line');
  });
});
