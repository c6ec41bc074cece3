// What the terminal can take: colour only for a TTY without NO_COLOR, a live progress line only
// on an interactive stderr, logs on stderr so that stdout stays clean for --json.

/** The program-wide flags every command reads (--quiet, --verbose, --no-color). */
export interface GlobalFlags {
  quiet: boolean;
  verbose: boolean;
  color: boolean;
}

export interface TerminalOptions {
  quiet: boolean;
  verbose: boolean;
  /** commander's --no-color sets this false. */
  color: boolean;
}

export interface Terminal {
  readonly color: boolean;
  readonly verbose: boolean;
  /** A line of information on stderr (suppressed by --quiet). */
  info(line: string): void;
  /** Only with --verbose. */
  debug(line: string): void;
  /** Always shown: warnings and errors go to stderr. */
  warn(line: string): void;
  /** Replaceable status line on stderr, only on an interactive terminal. */
  status(line: string): void;
  clearStatus(): void;
}

export function colorWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  if (!flag) return false;
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createTerminal(options: TerminalOptions, env: NodeJS.ProcessEnv = process.env): Terminal {
  const stderr = process.stderr;
  const live = Boolean(stderr.isTTY) && !options.quiet && env.CI === undefined && env.TERM !== 'dumb';
  let statusShown = false;
  const clearStatus = (): void => {
    if (statusShown) {
      stderr.write('\r\x1b[2K');
      statusShown = false;
    }
  };
  const line = (text: string): void => {
    clearStatus();
    stderr.write(`${text}\n`);
  };
  return {
    color: colorWanted(process.stdout, env, options.color),
    verbose: options.verbose,
    info: (text) => !options.quiet && line(text),
    debug: (text) => options.verbose && line(text),
    warn: line,
    status: (text) => {
      if (!live) return;
      // Some ptys (script(1), editors' shells) report 0 columns: treat that as unknown.
      const width = stderr.columns || 80;
      stderr.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
      statusShown = true;
    },
    clearStatus,
  };
}

/** A fixed-width bar for a fraction in [0, 1]. */
export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
