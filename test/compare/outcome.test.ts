// The headline of a comparison: regressions and violated budgets exit 1; an inconclusive verdict
// or budget is a warning unless --fail-on-inconclusive (the same rule as profile's exit code).
import { describe, expect, test } from 'vitest';
import { outcomeOf, type TrialComparison } from '../../src/compare/verdict.js';
import type { BudgetCheck, BudgetVerdict } from '../../src/types.js';

const check = (verdict: BudgetVerdict): BudgetCheck => ({
  budget: { kind: 'latency', source: 'p99<=20ms', stage: 'total', metric: 'p99', op: '<=', limitMs: 20 },
  trialId: 'cpu fp32 batch=1',
  measured: 19.5,
  verdict,
  pass: verdict !== 'fail',
  headroom: 0.025,
});

const unchanged = { verdict: 'unchanged' } as unknown as TrialComparison;

describe('outcomeOf', () => {
  test('a violated budget exits 1, a met one 0', () => {
    expect(outcomeOf([unchanged], [check('fail')], false)).toMatchObject({ budgetViolations: 1, exitCode: 1 });
    expect(outcomeOf([unchanged], [check('pass')], false)).toMatchObject({ budgetViolations: 0, exitCode: 0 });
  });

  test('an inconclusive budget is not a violation: exit 0, or 1 with --fail-on-inconclusive', () => {
    expect(outcomeOf([unchanged], [check('inconclusive')], false)).toMatchObject({ verdict: 'unchanged', budgetViolations: 0, exitCode: 0 });
    expect(outcomeOf([unchanged], [check('inconclusive')], true)).toMatchObject({ budgetViolations: 0, exitCode: 1 });
    expect(outcomeOf([unchanged], [check('pass')], true)).toMatchObject({ exitCode: 0 });
  });
});
