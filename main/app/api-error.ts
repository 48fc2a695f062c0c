/** How a failure crosses to the renderer: the message and the fix, never a stack. */
import type { ApiErrorBody } from '../../preload/api';
import { FlowStepError } from '../client/engine/notes';
import { DoctorApiError } from '../doctor/doctor-api';
import { DemoApiError } from '../report/demo-api';
import { ManagementApiError } from '../tenant-setup';

/** A failure as the renderer receives it: the message and the fix, never a stack. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function toApiError(error: unknown): ApiErrorBody {
  if (
    error instanceof FlowStepError ||
    error instanceof ApiError ||
    error instanceof DemoApiError ||
    error instanceof DoctorApiError ||
    error instanceof ManagementApiError
  ) {
    return {
      message: error.message,
      ...(error.fix && { fix: error.fix }),
      ...(error.code && { code: error.code }),
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
