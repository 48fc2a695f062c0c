import type { ApiErrorBody } from '../../../preload/api';

/** An error from the API with the fix and code main attached (they survive the transport as data). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly fix?: string;
  readonly code?: string;

  constructor(body: ApiErrorBody) {
    super(body.message);
    if (body.fix !== undefined) this.fix = body.fix;
    if (body.code !== undefined) this.code = body.code;
  }
}

/** Whatever was thrown, as the message, fix and code a person can read. */
export function describeError(error: unknown): ApiErrorBody {
  if (error instanceof Error) {
    const { fix, code } = error as Error & { fix?: unknown; code?: unknown };
    return {
      message: error.message || String(error),
      ...(typeof fix === 'string' && fix !== '' && { fix }),
      ...(typeof code === 'string' && code !== '' && { code }),
    };
  }
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return describeError(Object.assign(new Error(String(error.message)), error));
  }
  return { message: String(error) };
}
