/**
 * The trace: typed events from all three parties (client, server, issuer), redacted on the way in,
 * streamed to subscribers and exported as JSON. See events.ts for the vocabulary.
 */
export type * from './events';
export { TraceRecorder } from './recorder';
export type { TraceListener, TraceRecorderOptions, TraceSink } from './recorder';
export { SecretRegistry } from './secret-registry';
export type { RegisterListener, SecretRegistryOptions } from './secret-registry';
export { createTracedFetch, describeError } from './traced-fetch';
export type { FetchFunction, TracedFetchOptions } from './traced-fetch';
export { createHttpTap } from './http-tap';
export { logTrace } from './log-trace';
export type { HttpTap, HttpTapOptions } from './http-tap';
export { DEFAULT_MAX_BODY_BYTES } from './body-capture';
export {
  classifyKey,
  createRedactionContext,
  decodeJwt,
  fingerprint,
  maskSecret,
  redactAuthorization,
  redactBody,
  redactForm,
  redactHeaders,
  redactHeaderValue,
  redactJson,
  redactText,
  redactToken,
  redactUrl,
  tokenMarker,
} from './redact';
export type { KnownSecrets, RedactionContext } from './redact';
