// The page shell: doctype, the Content-Security-Policy, the inlined stylesheet, and the body.
// The policy forbids every fetch (default-src 'none': no scripts, images, fonts, frames or
// connections) and allows only the inline <style>, so even a string that slipped past escaping
// could not load or run anything, and a report opened from disk never touches the network.
// The page has no script at all: charts are static SVG, so everything reads with JavaScript off.
import { html, type SafeHtml } from './escape.js';
import { stylesheet } from './style.js';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function page(title: string, body: SafeHtml): string {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="inferbench">
<title>${title}</title>
${stylesheet()}
</head>
<body>
${body}
</body>
</html>
`;
  return doc.value;
}
