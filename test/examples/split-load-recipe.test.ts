// examples/kubernetes/split-load-job.yaml: an Indexed Job whose pods split one open-loop load over
// one endpoint. It parses; its pods start together (parallelism = completions); --shard job/N
// matches completions; the command is a real `profile` command whose options resolve to a split
// load (every index a shard, each offering R/N with its own seed); it writes where merge-job reads.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { parseShard } from '../../src/merge/shard.js';
import { resolveProfileOptions } from '../../src/profile-options.js';
import { parseYamlDocuments, type Yaml } from '../helpers/yaml.js';

type Map = { [key: string]: Yaml };
const map = (value: Yaml | undefined): Map => value as Map;
const container = (job: Map): Map => map((map(map(map(job.spec).template).spec).containers as Yaml[])[0]);
const read = (path: string): Map[] => parseYamlDocuments(readFileSync(path, 'utf8')).map(map);

describe('examples/kubernetes/split-load-job.yaml', () => {
  const [job] = read('examples/kubernetes/split-load-job.yaml');
  const spec = map(job!.spec);
  const command = container(job!).command as string[];
  const args = command.slice(2);

  test('an Indexed Job whose pods start together and whose completions match --shard job/N', () => {
    expect(job!.kind).toBe('Job');
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBe(spec.completions);
    expect(command.slice(0, 3)).toEqual(['npx', 'inferbench', 'profile']);
    expect(args[args.indexOf('--shard') + 1]).toBe(`job/${String(spec.completions)}`);
  });

  test('every flag is a real flag of profile', () => {
    const program = buildProgram();
    const profile = program.commands.find((c) => c.name() === 'profile')!;
    const flags = new Set([...profile.options, ...program.options].flatMap((o) => [o.long, o.short]));
    for (const arg of args.filter((a) => a.startsWith('-'))) expect(flags.has(arg), arg).toBe(true);
  });

  test('each pod is shard I of N of a split load: R/N with its own seed, together R', () => {
    const option = (flag: string): string => args[args.indexOf(flag) + 1]!;
    const rate = Number(option('--rate'));
    const count = spec.completions as number;
    const splits = Array.from({ length: count }, (_, i) => {
      const shard = parseShard(option('--shard'), { JOB_COMPLETION_INDEX: String(i) });
      return resolveProfileOptions({ model: args[1]!, rate, shard, measure: { kind: 'time', ms: 60_000 } }).loadSplit!;
    });
    expect(splits.map((s) => s.index)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(new Set(splits.map((s) => s.seed)).size).toBe(count);
    expect(option('--out')).toBe('/reports/load-$(JOB_COMPLETION_INDEX)');
  });

  test('it writes to the volume merge-job.yaml merges', () => {
    const [merge] = read('examples/kubernetes/merge-job.yaml');
    const claim = (j: Map): Yaml => map(map((map(map(map(j.spec).template).spec).volumes as Yaml[])[0]).persistentVolumeClaim).claimName;
    expect(claim(job!)).toBe(claim(merge!));
    const mergeArgs = container(merge!).command as string[];
    expect(args[args.indexOf('--out') + 1]!.startsWith(`${mergeArgs[3]!}/`)).toBe(true);
  });
});
