/**
 * The sequence diagram's derivation, from a real sign-in's trace recorded on the sandbox
 * (test/fixtures/demo/, made by `npm run bench:diagram -- --write-fixture <file>`): every
 * exchange drawn as a request and a response, the browser's part, the server's decisions on its
 * lane, failures where they happened, and masks that hide identities but keep the story.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskRun } from '../../main/report/demo-runner';
import { readReportHtml } from '../../main/report/report-file';
import { renderReportHtml } from '../../main/report/html';
import { decisionLabel, deriveSequence } from '../../main/report/sequence';
import { beatsOf } from '../../main/report/beats';
import { escapeXml, FAILURE_MARKER, renderSequenceSvg } from '../../main/report/svg';
import type { DemoPartView, DemoRunView } from '../../main/report/types';
import type { DemoTrace } from '../support/demo-trace';

const trace = JSON.parse(
  readFileSync(new URL('../fixtures/demo/sandbox-sign-in-trace.json', import.meta.url), 'utf8'),
) as DemoTrace;

const signIn = () =>
  deriveSequence({
    events: trace.events,
    serverUrl: trace.serverUrl,
    decisions: trace.decisions,
    flowId: trace.signIn.flowId,
    steps: trace.signIn.steps,
  });

const wrongClient = () =>
  deriveSequence({
    events: trace.events,
    serverUrl: trace.serverUrl,
    decisions: trace.decisions,
    flowId: trace.wrongClient.flowId,
    steps: trace.wrongClient.steps,
  });

describe('deriveSequence', () => {
  it('draws every exchange of the flow once as a request and once as a response, in order', () => {
    const diagram = signIn();
    const exchanges = trace.events.flatMap((e) =>
      e.type === 'http' && e.exchange.flowId === trace.signIn.flowId ? [e.exchange.id] : [],
    );
    const requests = diagram.arrows.filter((a) => a.kind === 'request').map((a) => a.exchangeId);
    const responses = diagram.arrows.filter((a) => a.kind === 'response').map((a) => a.exchangeId);
    expect(requests).toEqual(exchanges);
    expect(responses).toEqual(exchanges);
    expect(diagram.arrows.map((a) => a.index)).toEqual(diagram.arrows.map((_, i) => i));
  });

  it('labels the exchanges in plain words, with the browser between the authorization request and the token exchange', () => {
    const labels = signIn().arrows.map((a) => a.label);
    const at = (label: string) => labels.indexOf(label);
    expect(labels.slice(0, 3)).toEqual([
      'asks the MCP server, without a token',
      'no token: rejected',
      '401: sign in first',
    ]);
    expect(at("asks for the server's metadata")).toBeGreaterThan(at('401: sign in first'));
    expect(at('opens the sign-in page')).toBeGreaterThan(at('checks the sign-in request'));
    expect(at('signs in')).toBe(at('opens the sign-in page') + 1);
    expect(at('code for tokens')).toBeGreaterThan(at('brings the code back to the app'));
    expect(labels).toContain('refresh token for a new access token');
    expect(labels).toContain('revokes the refresh token');
    expect(labels).toContain('shows the server the old access token');
    expect(labels).toContain('calls whoami');
  });

  it("puts each of the server's decisions on its lane, right after the request it decided", () => {
    const diagram = signIn();
    const decisions = diagram.arrows.filter((a) => a.kind === 'decision');
    // Every decision but the one about the second flow's first request belongs to this flow.
    expect(decisions).toHaveLength(trace.decisions.length - 1);
    for (const d of decisions) {
      expect([d.from, d.to]).toEqual(['server', 'server']);
      const before = diagram.arrows[d.index - 1]!;
      expect(before.kind).toBe('request');
      expect(before.exchangeId).toBe(d.exchangeId);
    }
    expect(decisions.at(-1)!.label).toBe("checked the JWT's signature and audience: allowed");
    // A 403 is about scope, never the token's signature: the label must not say it was rejected as such.
    expect(
      decisionLabel({
        ...trace.decisions.find((d) => d.method === 'jwt')!,
        status: 403,
        verdict: 'rejected',
        reason: 'missing whoami:read',
      }),
    ).toBe(
      'JWT signature and audience fine, a required scope missing: refused (missing whoami:read)',
    );
  });

  it('draws a failure on the arrow where it happened, with the cause and the fix, and pairs no other flow’s decision', () => {
    const diagram = wrongClient();
    const failed = diagram.arrows.filter((a) => a.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.label).toBe('400: invalid_client');
    expect(failed[0]!.failure!.cause).toMatch(/does not know the client ID sandbox-natve/);
    expect(failed[0]!.failure!.fix).toMatch(/App ID/);
    expect(diagram.arrows.some((a) => a.kind === 'browser')).toBe(false);
    expect(diagram.arrows.filter((a) => a.kind === 'decision').map((a) => a.label)).toEqual([
      'no token: rejected',
    ]);
  });

  it('names the steps after sign-in as steps too: refresh, revoke, the old token', () => {
    const diagram = signIn();
    const tagged = (id: string) => diagram.arrows.filter((a) => a.stepId === id);
    expect(tagged('refresh').map((a) => a.label)).toContain('refresh token for a new access token');
    expect(tagged('revoke').map((a) => a.label)).toContain('revokes the refresh token');
    // (Ending the issuer's session sends nothing from the app: the browser opens that page.)
    for (const id of ['refresh', 'revoke', 'old-token-check'] as const) {
      expect(tagged(id).length, id).toBeGreaterThan(0);
      expect(diagram.steps[id]?.specRef, id).toBeTruthy();
    }
    // Told once, with the step's own explanation and spec, where it first appears.
    const part: DemoPartView = {
      title: 'alice',
      profileId: 'p',
      status: 'done',
      diagram,
      svg: '',
      outcome: { requestedScopes: ['openid'], verdicts: [] },
    };
    const refreshBeats = beatsOf([part]).filter(
      (b) => b.arrow !== undefined && diagram.arrows[b.arrow]?.stepId === 'refresh',
    );
    expect(refreshBeats[0]).toMatchObject({
      narration: diagram.steps.refresh!.explanation,
      specRef: 'RFC 6749 §6',
    });
    expect(refreshBeats.slice(1).every((b) => b.narration === '')).toBe(true);
  });

  it('is pure: the same trace gives the same diagram', () => {
    expect(JSON.stringify(signIn())).toBe(JSON.stringify(signIn()));
  });
});

describe('the picture and the report', () => {
  it('marks a failure in the picture briefly; the report’s steps keep its cause and fix', () => {
    const diagram = wrongClient();
    const failure = diagram.arrows.find((a) => a.failure)!.failure!;
    const svg = renderSequenceSvg(diagram);
    expect(svg.split(FAILURE_MARKER)).toHaveLength(2);
    expect(svg).not.toContain(escapeXml(failure.cause).slice(0, 30));
    expect(svg).not.toContain(escapeXml(failure.fix!).slice(0, 30));

    const part: DemoPartView = {
      title: 'wrong client',
      profileId: 'p',
      status: 'failed',
      diagram,
      svg,
      outcome: { requestedScopes: ['openid'], verdicts: [] },
    };
    const html = renderReportHtml({
      runId: 'r',
      scenarioId: 'what-goes-wrong',
      title: 'What goes wrong',
      summary: 's',
      presenter: true,
      status: 'done',
      parts: [part],
      beats: beatsOf([part]),
      settings: [],
      startedAt: new Date(0).toISOString(),
      appVersion: '9.9.9',
      revealed: false,
    });
    const steps = html.slice(html.indexOf('<ol class="steps">'));
    expect(steps).toContain(escapeXml(failure.cause));
    expect(steps).toContain(escapeXml(failure.fix!));
  });

  it('escapes text from the trace in the SVG', () => {
    const diagram = signIn();
    diagram.arrows[0]!.label = '<script>alert(1)</script>';
    const svg = renderSequenceSvg(diagram);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('masks emails and subject IDs, and a report reads back with its picture redrawn', () => {
    const diagram = signIn();
    const sub = String(
      trace.events
        .flatMap((e) => (e.type === 'http' ? (e.exchange.tokens ?? []) : []))
        .find((t) => t.jwt?.payload.sub)?.jwt?.payload.sub,
    );
    const run: DemoRunView = {
      runId: 'r',
      scenarioId: 'token-life',
      title: 'A <b>story</b>',
      summary: 's',
      presenter: true,
      status: 'done',
      parts: [
        {
          title: 'alice',
          profileId: 'p',
          status: 'done',
          diagram,
          svg: '<svg><script>alert(1)</script></svg>',
          outcome: {
            requestedScopes: ['openid'],
            verdicts: [],
            whoami: { subject: sub, claims: { sub, email: 'alice@example.com' } },
          },
        },
      ],
      beats: [{ kind: 'intro', part: 0, title: 'hello', narration: 'alice@example.com' }],
      settings: [],
      startedAt: new Date(0).toISOString(),
      appVersion: '9.9.9',
      revealed: false,
    };
    const masked = maskRun(run);
    const text = JSON.stringify(masked);
    expect(sub.length).toBeGreaterThan(6);
    expect(text).not.toContain(sub);
    expect(text).not.toContain('alice@example.com');
    expect(text).toContain('alice@…');

    const html = renderReportHtml(masked);
    expect(html).toContain('A &lt;b&gt;story&lt;/b&gt;');
    const back = readReportHtml(html);
    expect(back.readOnly).toBe(true);
    expect(back.parts[0]!.diagram.arrows).toHaveLength(diagram.arrows.length);
    // The picture is redrawn from the data: the file's SVG is never trusted.
    expect(back.parts[0]!.svg).not.toContain('<script>');
    expect(back.parts[0]!.svg).toContain('data-arrow="0"');
    expect(() => readReportHtml('<html></html>')).toThrow(/not a demo report/);
    expect(() => readReportHtml(html.replace('"version":1', '"version":7'))).toThrow(/version/);
  });
});
