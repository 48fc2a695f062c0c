/**
 * An OAuth error answer, explained in the issuer's terms: what it means for this app and what to
 * change; the wording lives in the one catalogue (main/client/oauth-error-catalogue.ts).
 */

import { oauthErrorEntry, type Explained, type OAuthErrorContext } from '../oauth-error-catalogue';
import { FLOW_ERROR, issuerCode } from './error-codes';
import { FlowStepError } from './notes';

export interface OAuthErrorAnswer {
  error: string;
  error_description?: string;
}

/** The catalogue's entry for the answer's code, worded with what this sign-in knows. */
export function explainOAuthError(answer: OAuthErrorAnswer, ctx: OAuthErrorContext): Explained {
  const said = answer.error_description ? ` (“${answer.error_description}”)` : '';
  const explained = oauthErrorEntry(answer.error)?.explain?.(
    ctx,
    said,
    answer.error_description ?? '',
  );
  return (
    explained ?? {
      message: `The issuer answered ${answer.error}${said}.`,
      fix: 'See the exchange in the trace for the full answer.',
    }
  );
}

/**
 * The issuer failed rather than refused: it could not be reached, did not answer in time, or
 * answered 5xx or something that is not an OAuth answer. Says which endpoint and what happened;
 * undefined for a genuine OAuth refusal (invalid_grant...), which explainOAuthError words.
 */
export function explainIssuerFailure(endpoint: string, error: unknown): FlowStepError | undefined {
  const code = (error as { errorCode?: unknown } | undefined)?.errorCode;
  if (code !== undefined && code !== 'server_error' && code !== 'temporarily_unavailable') {
    return undefined;
  }
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  const status = /^HTTP (\d{3}): /.exec(message)?.[1];
  const cause =
    status !== undefined
      ? `it answered HTTP ${status}, which is not an OAuth answer`
      : code !== undefined
        ? `it answered ${String(code)}${message ? ` (“${message}”)` : ''}`
        : message;
  return new FlowStepError(
    `The request to ${endpoint} failed: ${cause}.`,
    'The issuer is down, slow or failing, not refusing: try again once it answers (the trace shows the exchange).',
    typeof code === 'string' ? issuerCode(code) : FLOW_ERROR.issuerUnavailable,
    { cause: error },
  );
}

/** A failed code or refresh exchange: the issuer failing (down, 5xx) told apart from refusing. */
export function explainTokenFailure(
  error: unknown,
  endpoint: string,
  ctx: { clientId: string; redirectUri?: string },
): FlowStepError {
  const failure = explainIssuerFailure(endpoint, error);
  if (failure) return failure;
  const code = (error as { errorCode?: string }).errorCode;
  if (!code) {
    return error instanceof FlowStepError
      ? error
      : new FlowStepError((error as Error).message, undefined, undefined, { cause: error });
  }
  const explained = explainOAuthError(
    { error: code, error_description: (error as Error).message },
    ctx,
  );
  return new FlowStepError(explained.message, explained.fix, issuerCode(code), { cause: error });
}
