// fixtures/variants/ is generated: the script rewrites it byte for byte, and every model loads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, openBytes, repoRoot } from './helpers.js';

describe('fixtures/variants', () => {
  it('scripts/make-variant-fixtures.mjs regenerates every file byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'inferbench-variant-fixtures-'));
    try {
      execFileSync(process.execPath, [join(repoRoot, 'scripts', 'make-variant-fixtures.mjs'), out]);
      const files = readdirSync(out).sort();
      expect(files).toEqual(readdirSync(fixturePath('variants')).sort());
      for (const f of files) expect(Buffer.compare(readFileSync(join(out, f)), readFileSync(fixturePath(`variants/${f}`))), f).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every model loads in onnxruntime-node (the opset-1 one with ORT\'s legacy support)', async () => {
    for (const f of readdirSync(fixturePath('variants'))) {
      const session = await openBytes(new Uint8Array(readFileSync(fixturePath(`variants/${f}`))));
      await session.release();
    }
  });
});
