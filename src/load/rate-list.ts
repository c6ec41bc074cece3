// --rate: requests per second, one value, a list (100,200,400) or a range like --batch's
// (100..800:x2 → 100,200,400,800; 50..200:+50). Rates may be fractional (0.5 = one every 2 s).
import { InferbenchError } from '../errors.js';

/** More rates than this on one axis is more likely a typo than a plan. */
const MAX_RATES = 64;
const NUMBER = '(\\d+(?:\\.\\d+)?)';
const RANGE = new RegExp(`^${NUMBER}\\.\\.${NUMBER}(?::([x+*])${NUMBER})?$`);

/** `auto`: the knee search (sweep/knee-search.ts) picks the rates; it needs a latency budget. */
export function parseRateList(raw: string): number[] | 'auto' {
  if (raw.trim() === 'auto') return 'auto';
  const values: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === 'auto') throw rateError(raw, "'auto' (the knee search) stands alone: it chooses the rates itself");
    const range = RANGE.exec(part);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      const op = range[3] ?? '+';
      const step = Number(range[4] ?? 1);
      const grows = op === '+' ? step > 0 : step > 1;
      if (!(lo > 0) || hi < lo || !grows) throw rateError(raw, `range '${part}' must go up from above 0`);
      for (let r = lo; r <= hi * (1 + 1e-9); r = op === '+' ? r + step : r * step) {
        values.push(+r.toPrecision(12));
        if (values.length > MAX_RATES) throw rateError(raw, `more than ${MAX_RATES} rates`);
      }
    } else if (/^\d+(\.\d+)?$/.test(part) && Number(part) > 0) {
      values.push(Number(part));
    } else {
      throw rateError(raw, `'${part}' is not a rate above 0 requests/s`);
    }
  }
  if (values.length === 0) throw rateError(raw, 'no rate given');
  if (values.length > MAX_RATES) throw rateError(raw, `more than ${MAX_RATES} rates`);
  return [...new Set(values)];
}

/** Library values (numbers) checked like the command line's. */
export function checkRates(rates: readonly number[]): number[] {
  for (const r of rates) if (!(typeof r === 'number' && Number.isFinite(r) && r > 0)) throw rateError(String(r), 'a rate must be a number above 0 requests/s');
  return [...new Set(rates)];
}

function rateError(raw: string, why: string): InferbenchError {
  return new InferbenchError('usage', `--rate '${raw}': ${why}`, 'requests per second: --rate 200, --rate 100,200,400, --rate 100..800:x2, or --rate auto --budget "p99<=50ms"');
}
