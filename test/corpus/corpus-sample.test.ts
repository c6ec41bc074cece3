// A fixed sample of the ONNX backend-test corpus through the real CLI (scripts/corpus.mjs), when
// the corpus is installed (Debian/Ubuntu: apt-get install libonnx-testdata; .ci/run installs it
// when it runs as root). Each model runs with its shipped inputs and --check-outputs, and must
// end in the class recorded in test/data/corpus-sample.txt: never a crash or a hang.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { DEFAULT_ROOT, runOne } from '../../scripts/corpus.mjs';

const installed = existsSync(DEFAULT_ROOT);
const SAMPLE = readFileSync('test/data/corpus-sample.txt', 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/) as [string, string]);

interface CorpusResult { test: string; class: string; code: number | null; error: string | null; bare: string; bareOutputs: 'match' | 'mismatch' | null }

describe.skipIf(!installed)('ONNX backend-test corpus sample (libonnx-testdata)', () => {
  test(`${SAMPLE.length} models end as recorded, none crashes or hangs`, async () => {
    const results: CorpusResult[] = [];
    let next = 0;
    // One at a time: the other vitest fork has the second core, and two CLI children beside it
    // starved vitest's own process into "Timeout calling onTaskUpdate" (a failed run with every
    // test green) on the 2-core machine.
    await Promise.all([0].map(async () => {
      while (next < SAMPLE.length) {
        const [name] = SAMPLE[next++]!;
        results.push((await runOne(DEFAULT_ROOT, name, 120_000)) as CorpusResult);
      }
    }));
    const expected = Object.fromEntries(SAMPLE);
    const wrong = results.filter((r) => r.class !== expected[r.test]).map((r) => `${r.test}: ${r.class} (expected ${expected[r.test]}) ${r.error ?? ''}`);
    expect(wrong).toEqual([]);
    expect(results.filter((r) => r.class === 'crash' || r.class === 'hang')).toEqual([]);
    // --check-outputs says what a comparison without inferbench says (scripts/corpus-bare.mjs).
    const compared = results.filter((r) => r.bareOutputs && (r.class === 'ok' || r.class === 'mismatch'));
    expect(compared.length).toBeGreaterThan(40);
    expect(compared.filter((r) => (r.class === 'mismatch') !== (r.bareOutputs === 'mismatch')).map((r) => `${r.test}: ${r.class}, bare ${r.bareOutputs}`)).toEqual([]);
  }, 1_200_000);
});

test.runIf(!installed)('corpus sample skipped: apt-get install libonnx-testdata to run it', () => {
  expect(installed).toBe(false);
});
