// A strict parser for the YAML the example recipes use (GitHub Actions workflows, Kubernetes
// manifests): block mappings and sequences, plain and quoted scalars, flow lists and maps of
// scalars, literal (|) and folded (>) block scalars, comments, `---` between documents. Anything
// else (anchors, tags, multi-line flow collections, tabs) throws, so a recipe that leaves the
// subset fails its test instead of being half-read. The project has no YAML dependency; this is
// enough to check that the recipes parse and to read their commands.

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

export function parseYamlDocuments(source: string): Yaml[] {
  if (source.includes('\t')) throw new Error('tabs are not YAML indentation');
  const docs: string[][] = [[]];
  for (const raw of source.split('\n')) {
    if (/^---\s*$/.test(raw)) docs.push([]);
    else docs.at(-1)!.push(raw);
  }
  return docs.map((doc, d) => parseDocument(doc, d)).filter((doc) => doc !== null);
}

function parseDocument(raw: string[], d: number): Yaml {
  const lines: Line[] = raw.map((text, i) => ({ indent: text.length - text.trimStart().length, text: text.trimStart(), no: i + 1 }));
  const parser = new Parser(lines, d);
  return parser.document();
}

class Parser {
  private i = 0;
  constructor(private readonly lines: Line[], private readonly doc: number) {}

  document(): Yaml {
    this.skipBlank();
    if (this.i >= this.lines.length) return null;
    const value = this.block(this.lines[this.i]!.indent);
    this.skipBlank();
    if (this.i < this.lines.length) this.fail(this.lines[this.i]!, 'unexpected indentation');
    return value;
  }

  private fail(line: Line, why: string): never {
    throw new Error(`document ${this.doc + 1}, line ${line.no}: ${why}: ${line.text}`);
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && (this.lines[this.i]!.text === '' || this.lines[this.i]!.text.startsWith('#'))) this.i++;
  }

  private block(indent: number): Yaml {
    this.skipBlank();
    const line = this.lines[this.i]!;
    return line.text.startsWith('- ') || line.text === '-' ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): Yaml[] {
    const items: Yaml[] = [];
    for (this.skipBlank(); this.i < this.lines.length; this.skipBlank()) {
      const line = this.lines[this.i]!;
      if (line.indent < indent) break;
      if (line.indent > indent || !(line.text.startsWith('- ') || line.text === '-')) this.fail(line, 'expected a list item');
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        items.push(this.block(this.nextIndent(indent)));
      } else if (isKeyValue(rest)) {
        // "- key: value" opens a mapping whose other keys sit at the column of "key".
        const column = indent + line.text.length - rest.length;
        this.lines[this.i] = { ...line, indent: column, text: rest };
        items.push(this.mapping(column));
      } else {
        this.i++;
        items.push(this.scalarOrBlock(rest, line, indent));
      }
    }
    return items;
  }

  private mapping(indent: number): { [key: string]: Yaml } {
    const map: { [key: string]: Yaml } = {};
    for (this.skipBlank(); this.i < this.lines.length; this.skipBlank()) {
      const line = this.lines[this.i]!;
      if (line.indent < indent) break;
      if (line.indent > indent) this.fail(line, 'unexpected indentation');
      const match = /^("[^"]*"|'[^']*'|[^\s#'"][^:#]*?)\s*:(?:\s+(.*))?$/.exec(line.text);
      if (!match) this.fail(line, 'expected key: value');
      const key = unquote(match[1]!);
      if (key in map) this.fail(line, `duplicate key '${key}'`);
      this.i++;
      const rest = stripComment(match[2] ?? '');
      if (rest === '') {
        this.skipBlank();
        const next = this.lines[this.i];
        // A list may sit at the key's own column (GitHub Actions' style), a mapping must be deeper.
        map[key] = next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- '))) ? this.block(next.indent) : null;
      } else {
        map[key] = this.scalarOrBlock(rest, line, indent);
      }
    }
    return map;
  }

  private nextIndent(parent: number): number {
    this.skipBlank();
    const next = this.lines[this.i];
    if (!next || next.indent <= parent) throw new Error(`document ${this.doc + 1}: an empty item`);
    return next.indent;
  }

  private scalarOrBlock(rest: string, line: Line, indent: number): Yaml {
    if (/^[|>][+-]?$/.test(rest)) return this.blockScalar(rest[0] === '>', indent);
    if (/^[&*!]/.test(rest)) this.fail(line, 'anchors, aliases and tags are not in the subset');
    return scalar(rest, () => this.fail(line, 'a flow collection must close on its line'));
  }

  private blockScalar(folded: boolean, parent: number): string {
    const body: string[] = [];
    let indent = -1;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.text !== '' && line.indent <= parent) break;
      if (line.text !== '' && indent < 0) indent = line.indent;
      body.push(line.text === '' ? '' : ' '.repeat(line.indent - indent) + line.text);
      this.i++;
    }
    while (body.at(-1) === '') body.pop();
    return folded ? body.join(' ').replace(/\s+/g, ' ').trim() + '\n' : `${body.join('\n')}\n`;
  }
}

function isKeyValue(text: string): boolean {
  return /^("[^"]*"|'[^']*'|[^\s#'"[{][^:#]*?)\s*:(\s|$)/.test(text);
}

function stripComment(text: string): string {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

function unquote(text: string): string {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text.trim();
}

function scalar(raw: string, unclosed: () => never): Yaml {
  const text = stripComment(raw);
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) unclosed();
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : splitFlow(inner).map((item) => scalar(item, unclosed));
  }
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) unclosed();
    const inner = text.slice(1, -1).trim();
    return Object.fromEntries(inner === '' ? [] : splitFlow(inner).map((pair) => {
      const at = pair.indexOf(':');
      return [unquote(pair.slice(0, at)), scalar(pair.slice(at + 1).trim(), unclosed)];
    }));
  }
  if (text.startsWith('"') || text.startsWith("'")) return unquote(text);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  return text;
}

/** Splits a flow collection's items at top-level commas (quotes respected). */
function splitFlow(inner: string): string[] {
  const items: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      items.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(inner.slice(start).trim());
  return items;
}
