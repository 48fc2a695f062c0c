/**
 * Capturing bodies for the trace without disturbing them: size caps, event streams left alone,
 * binary content described rather than decoded. Shared by the traced fetch (client side) and the
 * HTTP tap (server and issuer side).
 */
import type { RawHttpBody } from './events';
import { mediaTypeOf } from './redact';

/** Bodies are cut after this many bytes unless told otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const STREAMING_TYPES = new Set([
  'text/event-stream',
  'application/x-ndjson',
  'application/jsonl',
  'application/stream+json',
  'multipart/x-mixed-replace',
]);

/** Content that arrives over time (Server-Sent Events...): never buffered for the trace. */
export const isStreamingType = (contentType: string | null | undefined): boolean =>
  STREAMING_TYPES.has(mediaTypeOf(contentType));

/** Content that is not text: described, not decoded. */
export const isBinaryType = (contentType: string | null | undefined): boolean =>
  /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|wasm|x-protobuf|protobuf|grpc)/.test(
    mediaTypeOf(contentType),
  );

/** Decodes text in the Content-Type's charset (UTF-8 when absent or unknown). */
export function decodeText(bytes: Uint8Array, contentType: string | null | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Keeps the first `max` bytes of a body and counts them all. */
export class ByteCapture {
  readonly #chunks: Uint8Array[] = [];
  #kept = 0;
  #total = 0;

  constructor(readonly max: number) {}

  add(chunk: Uint8Array): void {
    this.#total += chunk.byteLength;
    if (this.#kept >= this.max) return;
    const part = chunk.subarray(0, this.max - this.#kept);
    // Copy: the producer may reuse its buffer.
    this.#chunks.push(new Uint8Array(part));
    this.#kept += part.byteLength;
  }

  get total(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#total > this.max;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#kept);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  /** The capture as a RawHttpBody; `problem` says why it stopped early, if it did. */
  toBody(contentType: string | null, problem?: string): RawHttpBody {
    const body: RawHttpBody = {
      contentType,
      text: decodeText(this.bytes(), contentType),
      bytes: this.#total,
    };
    if (this.truncated || problem !== undefined) body.truncated = true;
    if (problem !== undefined) body.note = problem;
    return body;
  }
}

/** A body we do not decode: streams and binary content. Undefined when it should be decoded. */
export function describeUncaptured(
  contentType: string | null,
  bytes: number | undefined,
): RawHttpBody | undefined {
  if (isStreamingType(contentType)) {
    return { contentType, note: 'streamed (event stream): not buffered, read live by the caller' };
  }
  if (isBinaryType(contentType)) {
    return {
      contentType,
      ...(bytes === undefined ? {} : { bytes }),
      note: `binary content (${mediaTypeOf(contentType)}): not recorded`,
    };
  }
  return undefined;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Reads up to `max` bytes (plus one chunk to know whether there was more) from `stream`, then
 * cancels it. Gives up after `timeoutMs`, keeping what arrived.
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
  timeoutMs: number,
): Promise<{ capture: ByteCapture; complete: boolean; problem?: string }> {
  const capture = new ByteCapture(max);
  const reader = stream.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  let complete = false;
  let problem: string | undefined;
  try {
    while (!capture.truncated) {
      const result = await Promise.race([reader.read(), timeout]);
      if (result === TIMED_OUT) {
        problem = `still arriving after ${timeoutMs} ms`;
        break;
      }
      if (result.done) {
        complete = true;
        break;
      }
      capture.add(result.value);
    }
  } catch (error) {
    problem = `could not be read: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
    if (!complete) reader.cancel().catch(() => undefined);
  }
  return problem === undefined ? { capture, complete } : { capture, complete, problem };
}
