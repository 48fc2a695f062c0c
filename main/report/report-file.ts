/**
 * Opens a report file again: finds the embedded JSON, checks it with zod, and returns the run for a
 * read-only replay. The picture is redrawn from the checked diagram, never taken from the file, so
 * a tampered report cannot put markup into the page.
 */
import { z } from 'zod';
import { SESSION_STEP_IDS, STEP_IDS } from '../client/engine/steps';
import { REPORT_DATA_ID, REPORT_FORMAT, REPORT_VERSION } from './html';
import { LANES } from './sequence';
import { renderSequenceSvg } from './svg';
import type { DemoRunView } from './types';

export class ReportFileError extends Error {
  constructor(
    message: string,
    readonly fix = 'Open an HTML report exported by MCP Auth Desktop’s demo mode.',
  ) {
    super(message);
  }
}

const lane = z.enum(['browser', 'client', 'issuer', 'server']);
const text = z.string().max(20_000);
const failure = z.object({ cause: text, fix: text.optional() });

const ArrowSchema = z.object({
  index: z.number().int().nonnegative(),
  seq: z.number().int(),
  kind: z.enum(['request', 'response', 'browser', 'decision', 'failure']),
  from: lane,
  to: lane,
  label: text,
  at: text,
  outcome: z.enum(['ok', 'refused', 'failed']),
  stepId: z.enum([...STEP_IDS, ...SESSION_STEP_IDS]).optional(),
  exchangeId: text.optional(),
  status: z.number().int().optional(),
  failure: failure.optional(),
});

const StepInfoSchema = z.object({ id: text, title: text, explanation: text, specRef: text });

const PartSchema = z.object({
  title: text,
  signIn: z.object({ username: text, password: text.optional(), consent: z.boolean() }).optional(),
  profileId: text,
  flowId: text.optional(),
  status: z.enum(['pending', 'running', 'done', 'failed']),
  interludes: z
    .array(
      z.object({
        from: text,
        title: text,
        narration: text,
        until: text,
      }),
    )
    .max(50)
    .optional(),
  diagram: z.object({
    lanes: z.array(z.object({ id: lane, title: text })),
    arrows: z.array(ArrowSchema).max(2_000),
    steps: z.record(z.string(), StepInfoSchema),
    // Exchanges are shown as data (JSON), never as markup: their inner shape is not trusted.
    exchanges: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  svg: z.string(),
  outcome: z.object({
    clientId: text.optional(),
    firstParty: z.boolean().optional(),
    requestedScopes: z.array(text),
    grantedScopes: z.array(text).optional(),
    whoami: z.record(z.string(), z.unknown()).optional(),
    verdicts: z.array(
      z.object({
        what: text,
        status: z.union([z.number(), text]),
        accepted: z.boolean(),
        explanation: text,
      }),
    ),
    failure: failure.optional(),
    takeaway: text.optional(),
  }),
});

const RunSchema = z.object({
  runId: text,
  scenarioId: text,
  title: text,
  summary: text,
  presenter: z.boolean(),
  status: z.enum(['running', 'paused', 'done', 'failed']),
  setup: z
    .object({ changes: z.array(text).max(20), restored: z.boolean(), restoreNote: text.optional() })
    .optional(),
  parts: z.array(PartSchema).max(20),
  beats: z.array(
    z.object({
      kind: z.enum(['setup', 'intro', 'arrow', 'wait', 'result', 'compare']),
      part: z.number().int().min(-1),
      arrow: z.number().int().nonnegative().optional(),
      title: text,
      narration: text,
      specRef: text.optional(),
      failure: failure.optional(),
      until: text.optional(),
      afterArrows: z.number().int().nonnegative().optional(),
    }),
  ),
  settings: z.array(z.object({ label: text, value: text })),
  startedAt: text,
  appVersion: text,
  revealed: z.boolean(),
  error: text.optional(),
});

const ReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  exportedAt: text,
  run: RunSchema,
});

const DATA = new RegExp(
  `<script type="application/json" id="${REPORT_DATA_ID}">([\\s\\S]*?)</script>`,
);

/** The run a report file holds, checked; throws a ReportFileError that says what is wrong. */
export function readReportHtml(html: unknown): DemoRunView {
  if (typeof html !== 'string' || html.length === 0)
    throw new ReportFileError('The report file is empty.');
  const match = DATA.exec(html);
  if (!match?.[1])
    throw new ReportFileError('This file is not a demo report: it holds no report data.');
  let json: unknown;
  try {
    json = JSON.parse(match[1]);
  } catch {
    throw new ReportFileError('The report’s data is damaged (not valid JSON).');
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportFileError(
      `The report’s data is not what this version expects (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  const run = parsed.data.run as unknown as DemoRunView;
  return {
    ...run,
    readOnly: true,
    parts: run.parts.map((part, i) => {
      const diagram = { ...part.diagram, lanes: LANES };
      return {
        ...part,
        diagram,
        svg: renderSequenceSvg(diagram, {
          idPrefix: `report${i}`,
          ...(part.interludes && { interludes: part.interludes }),
        }),
      };
    }),
  };
}
