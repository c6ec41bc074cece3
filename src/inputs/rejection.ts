// When the runtime rejects the inputs we built (a detector that needs H and W divisible by 32, an
// index out of range), the user needs to know what was tried and which flag changes it.
import { cleanOrtMessage, ortHint } from '../adapters/ort-message.js';
import { InferbenchError, messageOf } from '../errors.js';
import type { InputDescription } from '../types.js';

export function inputsRejected(error: unknown, inputs: readonly InputDescription[]): InferbenchError {
  const runtimeMessage = cleanOrtMessage(messageOf(error));
  const tried = inputs.map((i) => `${i.name} ${i.type}[${i.dims.join('x')}] (${i.source})`).join('; ');
  const guessed = inputs.filter((i) => (i.guessed?.length ?? 0) > 0);
  if (guessed.length > 0) {
    // The likeliest cause is our own guess: say so first, and name the flags that replace it.
    const what = guessed.map((i) => `${i.name} ${i.guessed!.map((g) => `${g.dim === null ? `axis ${g.axis}` : `'${g.dim}'`}=${g.size}`).join(', ')} (${i.guessed![0]!.layout})`).join('; ');
    const flags = [...new Set(guessed.flatMap((i) => i.guessed!.some((g) => g.dim === null) ? [`--shape ${i.name}=${i.dims.join('x')}`] : i.guessed!.map((g) => `--dim ${g.dim}=<n>`)))];
    return new InferbenchError(
      'input-rejected',
      `the runtime rejected the inputs, whose shapes were guessed (the model leaves them open): ${what} — ${runtimeMessage} — tried ${tried}`,
      `give the sizes the model expects: ${flags.join(' ')} (with the right sizes in place of the guesses)`,
    );
  }
  const example = inputs[0];
  const shapeable = example && example.dims.length > 0 && example.dims.every((d) => Number.isInteger(d) && d > 0);
  const hint = ortHint(runtimeMessage) ?? (example && shapeable
    ? `set shapes with --shape ${example.name}=${example.dims.join('x')} or --dim NAME=SIZE, and values with --value/--range/--input-file`
    : 'set shapes with --shape/--dim and values with --value/--range/--input-file');
  return new InferbenchError('input-rejected', `the runtime rejected the inputs: ${runtimeMessage} — tried ${tried}`, hint);
}
