import { describe, expect, test } from 'vitest';
import { escapeHtml, html, join, trusted } from '../../../src/report/html/escape.js';

describe('escaping by default', () => {
  test('the five HTML metacharacters become entities', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test('interpolations are escaped, nested fragments and arrays are not double-escaped', () => {
    const name = '</script><script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    const out = html`<p title="${name}">${inner}${[name, inner]}${null}${false}${undefined}${3}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<p title="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b>' +
        '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;<b>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b>3</p>',
    );
  });

  test('join escapes plain strings; only trusted() passes markup through', () => {
    expect(join(['<i>', trusted('<i>')], '').value).toBe('&lt;i&gt;<i>');
  });
});
