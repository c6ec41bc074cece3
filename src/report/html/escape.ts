// Escaping for the HTML report. Every string that reaches the page comes from somewhere we do not
// control — a model's file name, tensor and node names, error messages, config values — so the
// page is built with `html` tagged templates that escape every interpolated value by default;
// only fragments built by this module's own templates (SafeHtml) pass through unescaped. A value
// has to be wrapped on purpose to skip escaping, and nothing outside this folder can do it.
// (The same "escape by default, opt out explicitly" rule as lit-html's `html` and React's JSX.)

/** Markup built by `html`: its interpolations are already escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in element content and in quoted attribute values (OWASP XSS prevention rules 1–2:
 * & < > " ' become entities). Also safe inside SVG <text> and <title>, which are parsed as HTML
 * foreign content when the SVG is inline.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function piece(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are trusted markup, interpolations are escaped (arrays joined). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Joins fragments with no separator (escaping any plain strings). */
export function join(values: readonly HtmlValue[], separator = ''): SafeHtml {
  return new SafeHtml(values.map(piece).join(separator));
}

/**
 * Marks a string as markup. Only for text this code generated itself (CSS, numbers formatted as
 * SVG coordinates); never for anything read from a report.
 */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A string safe as an id or a fragment link: anything outside [A-Za-z0-9_-] becomes '_'. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
