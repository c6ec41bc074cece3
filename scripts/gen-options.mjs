#!/usr/bin/env node
// Writes what is generated from the option declarations (src/options/declarations.ts):
//   src/config/config.schema.json   the config file's JSON Schema (for editors and users)
//   docs/options.md                 the option reference table, between its markers
// Run after changing an option (needs `npm run build`): node scripts/gen-options.mjs
// test/options/generated.test.ts fails while either file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../dist/options/config-schema.js';
import { withOptionsTable } from '../dist/options/docs-table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, 'src/config/config.schema.json'), `${JSON.stringify(configSchema(), null, 2)}\n`);
const docs = join(root, 'docs/options.md');
let doc = '# Profile options\n';
try {
  doc = readFileSync(docs, 'utf8');
} catch {
  // first run: the page is created with its table
}
writeFileSync(docs, withOptionsTable(doc));
console.log('wrote src/config/config.schema.json and docs/options.md');
