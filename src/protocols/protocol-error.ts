// A request (or response) that breaks its protocol: the status a server answers with, and a
// message that says what was wrong. The server turns it into `{"error": message}`; the client
// adapter into an InferbenchError.

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    /** HTTP status: 400 malformed, 404 unknown model, 413 too large, 500 the model failed. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isProtocolError(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError;
}
