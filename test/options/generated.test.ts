// What is generated from the option declarations is current, and the declarations hold together.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { configSchema } from '../../src/options/config-schema.js';
import { OPTION_DECLARATIONS, type OptionDeclaration } from '../../src/options/declarations.js';
import { optionsTable, withOptionsTable } from '../../src/options/docs-table.js';

const declarations = OPTION_DECLARATIONS as readonly OptionDeclaration[];

describe('generated from the option declarations', () => {
  test('src/config/config.schema.json is current (node scripts/gen-options.mjs)', () => {
    expect(JSON.parse(readFileSync('src/config/config.schema.json', 'utf8'))).toEqual(configSchema());
  });

  test('docs/options.md holds the current table (node scripts/gen-options.mjs)', () => {
    const doc = readFileSync('docs/options.md', 'utf8');
    expect(doc).toContain(optionsTable());
    expect(withOptionsTable(doc)).toBe(doc);
  });

  test('every flag is listed in the table once, with its config key', () => {
    const table = optionsTable();
    for (const d of declarations) {
      if (d.flags !== undefined) expect(table.split(`\`${d.flags.replace(/\|/g, '\\|')}\``).length - 1).toBe(1);
      if (d.config !== undefined) expect(table).toContain(`\`${d.config.at}\``);
    }
  });
});

describe('the declarations', () => {
  test('no flag and no config key is declared twice', () => {
    const flags = declarations.flatMap((d) => (d.flags ? d.flags.split(/[ ,]+/).filter((p) => p.startsWith('-')) : []));
    expect(new Set(flags).size).toBe(flags.length);
    const keys = declarations.flatMap((d) => (d.config ? [d.config.at] : []));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a number default parses back to itself (or a list of it) from its text', () => {
    for (const d of declarations) {
      if (d.parse && typeof d.default === 'number') expect([d.default, [d.default]]).toContainEqual(d.parse(String(d.default), undefined));
    }
  });
});
