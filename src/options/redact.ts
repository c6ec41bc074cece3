// Secrets given on the command line (--token, --header values) never reach a report: the report
// records the command line and the options, so both are written with the values replaced.
import type { RemoteClientOptions } from '../adapters/adapter.js';

export const REDACTED = '(redacted)';

/** argv with the values of --token and --header replaced (a header keeps its name). */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^(--token|--header)=(.*)$/s.exec(arg);
    if (inline) {
      out.push(`${inline[1]}=${inline[1] === '--header' ? redactHeader(inline[2]!) : REDACTED}`);
    } else if ((arg === '--token' || arg === '--header') && i + 1 < argv.length) {
      out.push(arg, arg === '--header' ? redactHeader(argv[i + 1]!) : REDACTED);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function redactHeader(header: string): string {
  const at = header.indexOf(':');
  return at > 0 ? `${header.slice(0, at)}: ${REDACTED}` : REDACTED;
}

/** The client options as a report may show them: header names only. */
export function redactRemote(remote: RemoteClientOptions): RemoteClientOptions {
  return { ...remote, headers: Object.fromEntries(Object.keys(remote.headers).map((name) => [name, REDACTED])) };
}
