/**
 * The picture's server decisions are read whole: a security reviewer reads exactly those boxes,
 * so a long verdict (a 403 with its reason and a resource URL) wraps onto as many lines as it
 * needs, its box grows, and the next arrow is drawn below it; nothing is cut with "…". A wait
 * (a token expiring) is a band where it happened.
 */
import { describe, expect, it } from 'vitest';
import { arrowsBefore, LANES, type SequenceArrow } from '../../main/report/sequence';
import { escapeXml, renderSequenceSvg, wrap } from '../../main/report/svg';

const LONG_DECISION =
  'JWT signature and audience fine, a required scope missing: refused (The token lacks a required scope; this server requires: whoami:read admin:all for http://localhost:37003/a-rather-long-resource-path/mcp-server-for-the-demo.)';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const arrow = (index: number, extra: Partial<SequenceArrow>): SequenceArrow => ({
  index,
  seq: index,
  kind: 'request',
  from: 'client',
  to: 'server',
  label: `arrow ${index}`,
  at: at(index),
  outcome: 'ok',
  ...extra,
});

const render = (decision: string) =>
  renderSequenceSvg({
    lanes: LANES,
    arrows: [
      arrow(0, { label: 'opens an MCP session with the token' }),
      arrow(1, {
        kind: 'decision',
        from: 'server',
        to: 'server',
        label: decision,
        outcome: 'failed',
      }),
      arrow(2, {
        kind: 'response',
        from: 'server',
        to: 'client',
        label: '403: the token lacks a permission',
        outcome: 'failed',
      }),
    ],
    steps: {},
    exchanges: {},
  });

/** The decision's text lines, in order, as drawn. */
const noteText = (svg: string) =>
  [...svg.matchAll(/<text class="seq-label seq-note-text"[^>]*>([^<]*)<\/text>/g)].map(
    (m) => m[1]!,
  );

describe('a server decision in the picture', () => {
  it('shows a long decision whole, over as many lines as it needs, with no "…"', () => {
    const svg = render(LONG_DECISION);
    const lines = noteText(svg);
    expect(lines.length).toBeGreaterThan(4);
    expect(svg).not.toContain('…');
    // Joined back, the lines are the decision, word for word (the long URL broken, not cut).
    const words = (text: string) => text.split(/\s+/).join('');
    expect(words(lines.join(' '))).toBe(words(escapeXml(LONG_DECISION)));
  });

  it('grows its box with its lines and draws the next arrow below it', () => {
    const short = render('checked the JWT’s signature and audience: allowed');
    const long = render(LONG_DECISION);
    const box = (svg: string) => {
      const m =
        /<rect class="seq-note" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(
          svg,
        )!;
      return { top: Number(m[1]), bottom: Number(m[1]) + Number(m[2]) };
    };
    const nextLineY = (svg: string) =>
      Number(
        /data-arrow="2"><title>[^<]*<\/title><rect[^>]*\/><line x1="[\d.]+" y1="([\d.]+)"/.exec(
          svg,
        )![1],
      );
    expect(noteText(short)).toHaveLength(1);
    expect(box(long).bottom - box(long).top).toBeGreaterThan(box(short).bottom - box(short).top);
    for (const svg of [short, long]) expect(nextLineY(svg)).toBeGreaterThan(box(svg).bottom);
    expect(nextLineY(long) - nextLineY(short)).toBe(box(long).bottom - box(short).bottom);
  });

  it('stays inside the picture and keeps its lines short enough for its box', () => {
    const svg = render(LONG_DECISION);
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    const m = /<rect class="seq-note" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg)!;
    expect(Number(m[1])).toBeGreaterThanOrEqual(0);
    expect(Number(m[1]) + Number(m[2])).toBeLessThanOrEqual(width);
    for (const line of noteText(svg)) expect(line.length).toBeLessThanOrEqual(50);
  });
});

describe('wrap', () => {
  it('breaks a word longer than a line across lines instead of cutting it', () => {
    expect(wrap('see https://example.com/abcdefghij', 10)).toEqual([
      'see',
      'https://ex',
      'ample.com/',
      'abcdefghij',
    ]);
  });
});

describe('a wait in the picture', () => {
  const arrows = [0, 1, 50, 51].map((s, index) => arrow(index, { at: at(s) }));
  const wait = {
    from: at(2),
    until: at(40),
    title: 'Waiting for the access token to expire',
    narration: '',
  };

  it('sits before the first arrow drawn after it began, by time', () => {
    expect(arrowsBefore(arrows, wait.from)).toBe(2);
    expect(arrowsBefore(arrows, at(60))).toBe(4);
    const svg = renderSequenceSvg(
      { lanes: LANES, arrows, steps: {}, exchanges: {} },
      { interludes: [wait] },
    );
    const order = [...svg.matchAll(/data-(arrow|after)="(\d+)"/g)].map((m) => `${m[1]}${m[2]}`);
    expect(order).toEqual(['arrow0', 'arrow1', 'after2', 'arrow2', 'arrow3']);
    expect(svg).toContain('Waiting for the access token to expire, until 00:00:40 UTC');
  });
});
