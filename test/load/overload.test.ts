import { describe, expect, it } from 'vitest';
import { clearlyOverloaded, generatorVerdict, overloadVerdict, QueueSamples } from '../../src/load/overload.js';

function samples(depthAt: (tMs: number) => number, seconds: number): QueueSamples {
  const q = new QueueSamples();
  for (let t = 0; t <= seconds * 1000; t += 100) q.add(t, Math.max(0, Math.round(depthAt(t))));
  return q;
}

describe('overload verdicts', () => {
  const flat = (t: number): number => 2 + ((t / 100) % 3); // wanders, does not climb

  it('a queue that grows at λ − μ is overloaded, with the growth as evidence', () => {
    const q = samples((t) => (t / 1000) * 40, 5); // 40 req/s growth at λ = 240
    const v = overloadVerdict({ offeredRate: 240, achievedRate: 200, sent: 1200, dropped: 0, endedEarly: false, samples: q });
    expect(v.verdict).toBe('overloaded');
    expect(v.evidence.map((e) => e.metric)).toContain('queue growth');
    expect(v.evidence.map((e) => e.metric)).toContain('achieved ÷ offered rate');
  });

  it('a flat queue with the achieved rate near the offered is stable', () => {
    const v = overloadVerdict({ offeredRate: 200, achievedRate: 198, sent: 1000, dropped: 0, endedEarly: false, samples: samples(flat, 5) });
    expect(v).toEqual({ verdict: 'stable', evidence: [], endedEarly: false });
  });

  it('drops beyond 1% of the sent requests are overload', () => {
    const v = overloadVerdict({ offeredRate: 200, achievedRate: 195, sent: 1000, dropped: 20, endedEarly: false, samples: samples(flat, 5) });
    expect(v.verdict).toBe('overloaded');
    expect(v.evidence[0]!.metric).toBe('dropped share');
  });

  it('ends a probe early only after a second, with a backlog beyond a quarter second of arrivals that keeps growing', () => {
    const growing = samples((t) => (t / 1000) * 100, 3); // 300 waiting after 3 s at λ = 600
    expect(clearlyOverloaded(growing, 3000, 600)).toBe(true);
    expect(clearlyOverloaded(samples((t) => (t / 1000) * 100, 0.8), 800, 600)).toBe(false); // too early
    expect(clearlyOverloaded(samples(flat, 3), 3000, 600)).toBe(false);
    expect(clearlyOverloaded(samples((t) => (t / 1000) * 10, 3), 3000, 600)).toBe(false); // 30 waiting: below 0.25 s × 600
  });
});

describe('generator verdict', () => {
  it('is saturated above 1% of sends over 1 ms late (perf_analyzer’s rule)', () => {
    const lags = new Float64Array(1000).fill(0.05);
    expect(generatorVerdict(lags, 1000, 0.05, 0.1).verdict).toBe('ok');
    for (let i = 0; i < 11; i++) lags[i] = 2;
    const v = generatorVerdict(lags, 1000, 2, 0.1);
    expect(v.verdict).toBe('saturated');
    expect(v.lateShare).toBeCloseTo(0.011, 6);
  });
});
