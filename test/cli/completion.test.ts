// Shell completion is generated from the commander program: bash completes sub-commands and
// each sub-command's flags for real (the script is sourced and called), zsh and fish list them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { completionScript } from '../../src/cli/completion-command.js';
import { tempDir } from '../helpers/cli.js';

describe('inferbench completion', () => {
  test('bash: sub-commands, then the flags of the one typed', () => {
    const script = join(tempDir(), 'inferbench.bash');
    writeFileSync(script, completionScript(buildProgram(), 'bash'));
    const complete = (words: string[]): string[] =>
      execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _inferbench; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(complete(['inferbench', 'pro'])).toEqual(['profile']);
    expect(complete(['inferbench', 'profile', '--bat'])).toEqual(['--batch', '--batching', '--batch-dim']);
    expect(complete(['inferbench', 'profile', '--check'])).toEqual(['--check-outputs']);
    // compare takes the model flags too (paired mode), but not profile's own.
    expect(complete(['inferbench', 'compare', '--'])).toContain('--batch');
    expect(complete(['inferbench', 'compare', '--'])).not.toContain('--op-profile');
  });

  test('zsh and fish name every sub-command and flag; an unknown shell is a usage error', () => {
    for (const shell of ['zsh', 'fish']) {
      const text = completionScript(buildProgram(), shell);
      for (const name of ['profile', 'compare', 'devices', 'completion']) expect(text).toContain(name);
      expect(text).toContain('batch');
    }
    expect(() => completionScript(buildProgram(), 'tcsh')).toThrow(/no completion for shell 'tcsh'/);
  });
});
