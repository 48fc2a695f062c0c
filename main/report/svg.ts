/**
 * Draws a SequenceDiagram as one standalone SVG string: the live view (injected into the page,
 * clicks found by `data-arrow`) and the exported report use this same picture. Every text from
 * the trace is escaped; the SVG carries its own styles, so it looks the same wherever it goes
 * and prints crisply (vector, no fonts or scripts to fetch).
 */
import { arrowsBefore, type Lane, type SequenceDiagram } from './sequence';
import type { DemoInterlude } from './types';

const LANE_WIDTH = 240;
const MARGIN = 16;
const HEADER = 64;
const ROW = 42;
/**
 * Under a failed arrow, a marker only: the diagram is scaled down to fit a presenter's screen,
 * where a paragraph would shrink past reading. The cause and the fix are told in full under
 * "What went wrong" (the narration beside the diagram, the report's part) and in the report's
 * step list.
 */
export const FAILURE_MARKER = '✗ Failed here: see “What went wrong”';
const FAILURE_ROW = 30;
/**
 * A server decision's box spans two lanes (the row holds nothing else), so its words are set at
 * the arrows' size and read whole: a security reviewer reads exactly these. They wrap onto as
 * many lines as they need, of at most NOTE_WRAP characters; the row grows to fit.
 */
const NOTE_WIDTH = LANE_WIDTH * 2 - 8;
const NOTE_WRAP = 50;
const NOTE_LINE = 19;
const WAIT_ROW = 40;

export const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * Splits text into lines of at most `width` characters, at spaces where it can; a longer word
 * (a URL) is broken across lines, never cut short.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const chars = [...word];
    for (let at = 0; at < chars.length; at += width) {
      const piece = chars.slice(at, at + width).join('');
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line);
        line = piece;
      } else line = line ? `${line} ${piece}` : piece;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const STYLE = `
.seq{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;font-size:15px}
.seq-lane-box{fill:#eef0f4;stroke:#8c95a4}
.seq-lane-title{font-weight:650;fill:#13161c;font-size:15px}
.seq-life{stroke:#c9ced8;stroke-dasharray:4 4}
.seq-arrow line,.seq-arrow path{stroke:#2f4fd8;stroke-width:2;fill:none}
.seq-arrow text{fill:#13161c}
.seq-response line{stroke-dasharray:6 4;stroke:#4b5462}
.seq-browser line{stroke:#6b3fa0}
.seq-refused line{stroke:#8a4b00}
.seq-failed line,.seq-failed path{stroke:#b3261e}
.seq-failed .seq-label{fill:#b3261e;font-weight:650}
.seq-note{fill:#e3f4e8;stroke:#126b34}
.seq-failed .seq-note-text,.seq-refused .seq-note-text{font-weight:500}
.seq-failed .seq-note,.seq-refused .seq-note{fill:#fde7e5;stroke:#b3261e}
.seq-failure-text{fill:#b3261e;font-size:22px;font-weight:650}
.seq-hit{fill:transparent;stroke:none}
.seq-arrow.seq-current .seq-hit{fill:#e6eafc}
.seq-arrow.seq-selected .seq-hit{fill:#fff3d6}
.seq-arrow.seq-hidden{display:none}
.seq-arrow[data-arrow]{cursor:pointer}
.seq-wait rect{fill:#fff3d6;stroke:#8a4b00;stroke-dasharray:6 4}
.seq-wait text{fill:#8a4b00;font-weight:650}
.seq-wait.seq-hidden{display:none}
`;

export interface SvgOptions {
  /** Prefix for the arrowhead marker ids, unique per page (several diagrams side by side). */
  idPrefix?: string;
  /** Waits between arrows (a token expiring), drawn as a band across the lanes. */
  interludes?: readonly DemoInterlude[];
}

const clockOf = (iso: string): string => iso.slice(11, 19);

/** The diagram as an SVG document fragment (`<svg>…</svg>`). */
export function renderSequenceSvg(diagram: SequenceDiagram, options: SvgOptions = {}): string {
  const id = (options.idPrefix ?? 'seq').replace(/[^A-Za-z0-9_-]/g, '');
  const laneX = {} as Record<Lane, number>;
  diagram.lanes.forEach((lane, i) => {
    laneX[lane.id] = MARGIN + i * LANE_WIDTH + LANE_WIDTH / 2;
  });
  const width = MARGIN * 2 + diagram.lanes.length * LANE_WIDTH;
  const parts: string[] = [];
  let y = HEADER + 12;
  const waits = (options.interludes ?? []).map((wait) => ({
    ...wait,
    after: arrowsBefore(diagram.arrows, wait.from),
  }));
  const drawWait = (wait: DemoInterlude & { after: number }) => {
    parts.push(
      `<g class="seq-wait" data-after="${wait.after}">` +
        `<rect x="${MARGIN}" y="${y + 4}" width="${width - MARGIN * 2}" height="${WAIT_ROW - 8}" rx="6"/>` +
        `<text x="${width / 2}" y="${y + WAIT_ROW / 2 + 5}" text-anchor="middle">${escapeXml(wait.title)}, until ${clockOf(wait.until)} UTC</text>` +
        `</g>`,
    );
    y += WAIT_ROW;
  };
  for (const arrow of diagram.arrows) {
    while (waits[0] && waits[0].after <= arrow.index) drawWait(waits.shift()!);
    const note = arrow.kind === 'decision' ? wrap(arrow.label, NOTE_WRAP) : [];
    const noteHeight = note.length * NOTE_LINE + 12;
    const height = (note.length ? noteHeight + 12 : ROW) + (arrow.failure ? FAILURE_ROW : 0);
    const classes = ['seq-arrow', `seq-${arrow.kind}`, `seq-${arrow.outcome}`].join(' ');
    const label = escapeXml(arrow.label);
    const body: string[] = [
      `<rect class="seq-hit" x="0" y="${y}" width="${width}" height="${height}"/>`,
    ];
    const x1 = laneX[arrow.from];
    const x2 = laneX[arrow.to];
    const lineY = y + 28;
    if (arrow.kind === 'decision') {
      // Centred on its lane where the diagram allows, else against the nearer edge.
      const left = Math.min(Math.max(x1 - NOTE_WIDTH / 2, MARGIN), width - MARGIN - NOTE_WIDTH);
      body.push(
        `<rect class="seq-note" x="${left}" y="${y + 6}" width="${NOTE_WIDTH}" height="${noteHeight}" rx="6"/>`,
        ...note.map(
          (l, i) =>
            `<text class="seq-label seq-note-text" x="${left + NOTE_WIDTH / 2}" y="${y + 25 + i * NOTE_LINE}" text-anchor="middle">${escapeXml(l)}</text>`,
        ),
      );
    } else if (arrow.from === arrow.to) {
      body.push(
        `<path d="M${x1} ${lineY - 10} h28 v14 h-26" marker-end="url(#${id}-head)"/>`,
        `<text class="seq-label" x="${x1 + 34}" y="${lineY}">${label}</text>`,
      );
    } else {
      const dir = x2 > x1 ? 1 : -1;
      body.push(
        `<line x1="${x1 + dir * 4}" y1="${lineY}" x2="${x2 - dir * 6}" y2="${lineY}" marker-end="url(#${id}-head)"/>`,
        `<text class="seq-label" x="${(x1 + x2) / 2}" y="${lineY - 8}" text-anchor="middle">${label}</text>`,
      );
    }
    if (arrow.failure) {
      body.push(
        `<text class="seq-failure-text" x="${MARGIN + 8}" y="${lineY + 30}">${escapeXml(FAILURE_MARKER)}</text>`,
      );
    }
    parts.push(
      `<g class="${classes}" data-arrow="${arrow.index}"><title>${label}</title>${body.join('')}</g>`,
    );
    y += height;
  }
  for (const wait of waits) drawWait(wait);
  const height = y + 16;
  const lanes = diagram.lanes
    .map((lane) => {
      const x = laneX[lane.id];
      return (
        `<line class="seq-life" x1="${x}" y1="${HEADER}" x2="${x}" y2="${height - 8}"/>` +
        `<rect class="seq-lane-box" x="${x - LANE_WIDTH / 2 + 10}" y="10" width="${LANE_WIDTH - 20}" height="${HEADER - 22}" rx="8"/>` +
        `<text class="seq-lane-title" x="${x}" y="${10 + (HEADER - 22) / 2 + 5}" text-anchor="middle">${escapeXml(lane.title)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Sequence diagram">` +
    `<style>${STYLE}</style>` +
    `<defs><marker id="${id}-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#4b5462" stroke="none"/></marker></defs>` +
    lanes +
    parts.join('') +
    `</svg>`
  );
}
