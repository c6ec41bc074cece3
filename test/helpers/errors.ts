import { expect } from 'vitest';
import { InferbenchError } from '../../src/errors.js';

/** The InferbenchError that `fn` throws; fails the test if it throws anything else or nothing. */
export function error(fn: () => unknown): InferbenchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InferbenchError);
    return e as InferbenchError;
  }
  throw new Error('expected an InferbenchError');
}

/** The InferbenchError that the promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<InferbenchError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(InferbenchError);
    return e as InferbenchError;
  }
  throw new Error('expected an InferbenchError');
}
