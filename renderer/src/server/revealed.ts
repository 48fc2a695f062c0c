import type { RecordedEvent } from '../../../preload/api';

type HttpEvent = Extract<RecordedEvent, { type: 'http' }>;

/** What another MCP server's answers revealed to this app's clients: its metadata, its challenges. */
export interface RevealedServer {
  /** The latest RFC 9728 document it served, as parsed (secrets never appear in metadata). */
  metadata?: { url: string; at: string; document: Record<string, unknown> };
  /** Its latest WWW-Authenticate challenges, newest first. */
  challenges: { at: string; method: string; url: string; status: number; header: string }[];
  /** How many of its answers the trace holds. */
  answers: number;
}

const MAX_CHALLENGES = 5;

/** From the trace: every exchange whose URL is on `serverUrl`'s origin. */
export function revealedBy(events: readonly RecordedEvent[], serverUrl: string): RevealedServer {
  const origin = URL.parse(serverUrl)?.origin;
  const mine = events.filter(
    (event): event is HttpEvent =>
      event.type === 'http' && !!origin && URL.parse(event.exchange.request.url)?.origin === origin,
  );
  const revealed: RevealedServer = { challenges: [], answers: 0 };
  for (const { exchange } of [...mine].reverse()) {
    const { request, response } = exchange;
    if (!response) continue;
    revealed.answers++;
    const document = response.body?.json;
    if (
      !revealed.metadata &&
      response.status === 200 &&
      new URL(request.url).pathname.startsWith('/.well-known/oauth-protected-resource') &&
      document &&
      typeof document === 'object' &&
      !Array.isArray(document)
    ) {
      revealed.metadata = {
        url: request.url,
        at: exchange.startedAt,
        document: document as Record<string, unknown>,
      };
    }
    const header = response.headers['www-authenticate'];
    if (header && revealed.challenges.length < MAX_CHALLENGES) {
      revealed.challenges.push({
        at: exchange.startedAt,
        method: request.method,
        url: request.url,
        status: response.status,
        header,
      });
    }
  }
  return revealed;
}
