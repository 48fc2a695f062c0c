/** A mistake in how a command was called: printed as one line, never as a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
