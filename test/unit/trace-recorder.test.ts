import { describe, expect, it } from 'vitest';
import type { RecordedEvent, TraceExport, TraceInput } from '../../main/trace';
import { fingerprint, SecretRegistry, TraceRecorder } from '../../main/trace';

const note = (message: string): TraceInput => ({ type: 'note', level: 'info', message });
const messages = (events: RecordedEvent[]): string[] =>
  events.map((e) => (e.type === 'note' ? e.message : e.type));

describe('TraceRecorder', () => {
  it('delivers events to subscribers in order, and not after unsubscribing', () => {
    const recorder = new TraceRecorder();
    const seen: string[] = [];
    const unsubscribe = recorder.subscribe((e) => seen.push(`${e.seq}:${messages([e])[0]}`));
    recorder.record(note('one'));
    recorder.record(note('two'));
    unsubscribe();
    recorder.record(note('three'));
    expect(seen).toEqual(['1:one', '2:two']);
    expect(messages(recorder.events())).toEqual(['one', 'two', 'three']);
  });

  it('keeps delivery in order when a listener records, and survives a listener that throws', () => {
    const recorder = new TraceRecorder();
    const first: string[] = [];
    const second: string[] = [];
    recorder.subscribe((e) => {
      first.push(messages([e])[0] ?? '');
      if (e.type === 'note' && e.message === 'a') recorder.record(note('b'));
    });
    recorder.subscribe(() => {
      throw new Error('broken listener');
    });
    recorder.subscribe((e) => second.push(messages([e])[0] ?? ''));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      recorder.record(note('a'));
    } finally {
      console.error = original;
    }
    expect(first).toEqual(['a', 'b']);
    expect(second).toEqual(['a', 'b']);
    expect(errors).toHaveLength(2);
  });

  it('keeps only the newest events when full, counting what it dropped', () => {
    const recorder = new TraceRecorder({ maxEvents: 3 });
    for (let i = 1; i <= 5; i += 1) recorder.record(note(`n${i}`));
    expect(messages(recorder.events())).toEqual(['n3', 'n4', 'n5']);
    expect(recorder.events().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(recorder.dropped).toBe(2);
    const exported = JSON.parse(recorder.export()) as TraceExport;
    expect(exported.dropped).toBe(2);
    recorder.clear();
    expect(recorder.events()).toEqual([]);
    expect(recorder.dropped).toBe(0);
    expect(recorder.record(note('after')).seq).toBe(6);
  });

  it('also bounds memory by size', () => {
    const recorder = new TraceRecorder({ maxBytes: 2_000 });
    for (let i = 0; i < 20; i += 1) recorder.record(note(`${i}:${'x'.repeat(300)}`));
    expect(recorder.size).toBeLessThan(20);
    expect(recorder.size + recorder.dropped).toBe(20);
    expect(messages(recorder.events()).at(-1)).toMatch(/^19:/);
  });

  it('exports pretty JSON with the format header', () => {
    const now = new Date('2026-05-01T10:00:00.000Z');
    const recorder = new TraceRecorder({ now: () => now });
    recorder.record({
      type: 'step',
      flowId: 'f1',
      stepId: 'discover',
      status: 'done',
      title: 'Discover the authorization server',
    });
    const text = recorder.export();
    expect(text).toContain('\n  "format": "mcp-auth-desktop-trace"');
    expect(JSON.parse(text)).toEqual({
      format: 'mcp-auth-desktop-trace',
      version: 1,
      exportedAt: '2026-05-01T10:00:00.000Z',
      dropped: 0,
      events: [
        {
          seq: 1,
          type: 'step',
          at: '2026-05-01T10:00:00.000Z',
          flowId: 'f1',
          stepId: 'discover',
          status: 'done',
          title: 'Discover the authorization server',
        },
      ],
    });
  });

  it('stores copies that cannot be changed afterwards', () => {
    const recorder = new TraceRecorder();
    const stored = recorder.record(note('original'));
    expect(Object.isFrozen(stored)).toBe(true);
    expect(() => {
      (stored as { message: string }).message = 'changed';
    }).toThrow();
  });

  it('keeps only the known fields of a server decision, and redacts its strings', () => {
    const recorder = new TraceRecorder();
    const verification = {
      type: 'verification' as const,
      at: '2026-05-01T10:00:00.000Z',
      httpMethod: 'POST',
      path: '/mcp',
      method: 'jwt' as const,
      verdict: 'rejected' as const,
      status: 401,
      reason: 'bad token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      latencyMs: 2.5,
    };
    const event = recorder.record({
      type: 'server-decision',
      at: verification.at,
      decision: verification,
    });
    expect(event).toEqual({
      seq: 1,
      type: 'server-decision',
      at: '2026-05-01T10:00:00.000Z',
      decision: {
        httpMethod: 'POST',
        path: '/mcp',
        method: 'jwt',
        verdict: 'rejected',
        status: 401,
        reason: `bad token «redacted jwt ${fingerprint('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')}»`,
        latencyMs: 2.5,
      },
    });
  });

  it('masks a registered secret inside an HTML error page, a note and a step detail', () => {
    const secrets = new SecretRegistry();
    const recorder = new TraceRecorder({ secrets });
    const clientSecret = 'Kx8vQ2mZ7rT4wY9pL3nB6cF1';
    secrets.register(clientSecret, 'client_secret');
    recorder.record({
      type: 'http',
      exchange: {
        party: 'client',
        startedAt: '2026-05-01T10:00:00.000Z',
        durationMs: 4,
        request: { method: 'GET', url: 'http://127.0.0.1:3002/oops', headers: {} },
        response: {
          status: 500,
          statusText: 'Internal Server Error',
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: {
            contentType: 'text/html; charset=utf-8',
            text: `<html><body><h1>Error</h1><p>client authentication failed for secret ${clientSecret}</p></body></html>`,
          },
        },
      },
    });
    recorder.record(note(`retrying with ${clientSecret}`));
    recorder.record({
      type: 'step',
      flowId: 'f',
      stepId: 's',
      status: 'failed',
      title: 'Token',
      detail: `secret=${encodeURIComponent(clientSecret)}`,
    });
    const exported = recorder.export();
    expect(exported).not.toContain(clientSecret);
    expect(exported).toContain(`«redacted client_secret ${fingerprint(clientSecret)}»`);
    expect(exported).toContain('client authentication failed for secret «redacted');
  });

  it('learns secrets from their position and masks them when they show up later in text', () => {
    const recorder = new TraceRecorder();
    const refresh = 'rt_0123456789abcdefghijklmnopqrstuv';
    recorder.record({
      type: 'http',
      exchange: {
        party: 'client',
        startedAt: '2026-05-01T10:00:00.000Z',
        durationMs: 4,
        request: { method: 'POST', url: 'http://127.0.0.1:3002/oidc/token', headers: {} },
        response: {
          status: 200,
          statusText: 'OK',
          headers: { 'content-type': 'application/json' },
          body: {
            contentType: 'application/json',
            text: JSON.stringify({ refresh_token: refresh, debug: `issued ${refresh}` }),
          },
        },
      },
    });
    recorder.record(note(`the server echoed ${refresh} in its log`));
    const exported = recorder.export();
    expect(exported).not.toContain(refresh);
    expect(exported).toContain(`issued «redacted token ${fingerprint(refresh)}»`);
    expect(exported).toContain(`echoed «redacted token ${fingerprint(refresh)}» in its log`);
  });

  it('scrubs events stored before a secret was registered', () => {
    const recorder = new TraceRecorder();
    const opaque = 'opaque-token-registered-late-0123';
    recorder.record(note(`earlier mention of ${opaque}`));
    expect(JSON.stringify(recorder.events())).toContain(opaque);
    recorder.secrets.register(opaque, 'access_token');
    expect(JSON.stringify(recorder.events())).not.toContain(opaque);
    expect(recorder.export()).not.toContain(opaque);
  });

  it('finds registered values just as well when there are thousands of them', () => {
    const secrets = new SecretRegistry();
    let heard = 0;
    secrets.onRegister(() => (heard += 1));
    const values = Array.from(
      { length: 2_000 },
      (_, i) => `secret-value-${i}-${'x'.repeat(i % 7)}`,
    );
    expect(secrets.registerAll(values.map((v) => [v, 'client_secret'] as const))).toBe(2_000);
    expect(heard).toBe(1);
    secrets.register('secret-value-12-xxxxx-and-longer', 'client_secret'); // contains another
    const text = `a ${values[5]} b ${values[1999]} c secret-value-12-xxxxx-and-longer d ${encodeURIComponent(values[3] ?? '')}`;
    const out = secrets.replaceKnown(text);
    expect(out).toBe(
      `a «redacted client_secret ${fingerprint(values[5] ?? '')}» b «redacted client_secret ${fingerprint(values[1999] ?? '')}» ` +
        `c «redacted client_secret ${fingerprint('secret-value-12-xxxxx-and-longer')}» d «redacted client_secret ${fingerprint(values[3] ?? '')}»`,
    );
    expect(secrets.replaceKnown('nothing secret here at all')).toBe('nothing secret here at all');
  });

  it('never lets the registered values out of the registry', () => {
    const secrets = new SecretRegistry();
    secrets.register('a-secret-value-to-hide', 'client_secret');
    expect(JSON.stringify({ secrets })).toBe('{"secrets":{"secrets":1}}');
  });
});
