import { describe, expect, test } from 'vitest';
import { OPTION_DECLARATIONS, type OptionDeclaration } from '../../src/options/declarations.js';
import { parseDurationMs, parseList, parsePositiveInt, parseWarmup } from '../../src/options/parse.js';
import { colorWanted } from '../../src/cli/terminal.js';
import { error } from '../helpers/errors.js';

describe('flag parsers', () => {
  test.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
  ])('duration %s = %d ms', (raw, ms) => expect(parseDurationMs(raw, '--duration')).toBe(ms));

  test('bad durations name the flag and show the syntax', () => {
    const e = error(() => parseDurationMs('10', '--duration'));
    expect(e.message).toBe("--duration '10' is not a duration");
    expect(e.hint).toContain('500ms, 2s, 1m');
    expect(error(() => parseDurationMs('0s', '--duration')).message).toContain('longer than 0');
  });

  test('warm-up by count, time or auto', () => {
    expect(parseWarmup('20')).toEqual({ kind: 'count', iterations: 20 });
    expect(parseWarmup('0')).toEqual({ kind: 'count', iterations: 0 });
    expect(parseWarmup('2s')).toEqual({ kind: 'time', ms: 2000 });
    expect(parseWarmup('auto')).toEqual({ kind: 'auto' });
  });

  test('-n and --duration are two flags of one option: the measurement bound (auto by default)', () => {
    const declared = OPTION_DECLARATIONS as readonly OptionDeclaration[];
    const of = (flag: string) => declared.find((d) => d.flags?.includes(flag))!;
    expect(of('--iterations').key).toBe('measure');
    expect(of('--duration').key).toBe('measure');
    expect(of('--iterations').parse!('100', undefined)).toEqual({ kind: 'count', iterations: 100 });
    expect(of('--duration').parse!('5s', undefined)).toEqual({ kind: 'time', ms: 5000 });
    expect(of('--iterations').default).toEqual({ kind: 'auto' });
    expect(error(() => of('--iterations').parse!('0', undefined)).code).toBe('usage');
  });

  test('integers and lists', () => {
    expect(parsePositiveInt('4', '--threads')).toBe(4);
    expect(error(() => parsePositiveInt('0', '--threads')).message).toBe('--threads must be at least 1');
    expect(error(() => parsePositiveInt('2.5', '--threads')).message).toContain('not a whole number');
    expect(parseList('json, md,json')).toEqual(['json', 'md']);
  });
});

describe('colour', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  test('only on a TTY, never with NO_COLOR or --no-color, forced by FORCE_COLOR', () => {
    expect(colorWanted(tty, {}, true)).toBe(true);
    expect(colorWanted(pipe, {}, true)).toBe(false);
    expect(colorWanted(tty, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted(tty, {}, false)).toBe(false);
    expect(colorWanted(pipe, { FORCE_COLOR: '1' }, true)).toBe(true);
    expect(colorWanted(tty, { TERM: 'dumb' }, true)).toBe(false);
  });
});
