import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DemoBeat, DemoPartView, DemoRunView } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { HttpExchangeView } from '../flow/HttpExchangeView';
import { downloadText } from '../trace/download';
import { Callout } from '../ui/Callout';
import { JsonView } from '../ui/JsonView';
import { SequenceView } from './SequenceView';

/** The beats plus, for a story of several parts, a last one that puts them side by side. */
function storyOf(run: DemoRunView): DemoBeat[] {
  const done = run.status === 'done' || run.status === 'failed';
  if (!done || run.parts.length < 2) return run.beats;
  return [
    ...run.beats,
    { kind: 'compare', part: -1, title: 'Side by side', narration: 'What each part ended with.' },
  ];
}

/** How far each part's diagram is shown once the story reached `cursor`. */
function visibleArrow(beats: readonly DemoBeat[], cursor: number, part: number): number {
  let last = -1;
  for (let i = 0; i <= cursor && i < beats.length; i++) {
    const beat = beats[i]!;
    if (beat.part > part || beat.kind === 'compare') return Number.MAX_SAFE_INTEGER;
    if (beat.part === part && beat.arrow !== undefined) last = beat.arrow;
    // A wait shows its band after the arrows before it, and none after it.
    if (beat.part === part && beat.afterArrows !== undefined) last = beat.afterArrows - 0.5;
  }
  return last;
}

export function RunView(props: {
  run: DemoRunView;
  presenter: boolean;
  reveal: boolean;
  onReveal(reveal: boolean): void;
  onExit(): void;
}) {
  const { run, presenter, reveal, onReveal, onExit } = props;
  const api = useApi();
  const beats = useMemo(() => storyOf(run), [run]);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<{ part: number; arrow: number }>();
  const [busy, setBusy] = useState<string>();
  const atEnd = cursor >= beats.length - 1;
  const beat = beats[Math.min(cursor, beats.length - 1)];

  const next = useCallback(async () => {
    if (!atEnd) {
      setCursor((c) => c + 1);
      return;
    }
    if (run.status === 'paused' && !run.readOnly) {
      await api.demo.continue(run.runId).catch((e: unknown) => setBusy(String(e)));
    }
  }, [api, atEnd, run.runId, run.readOnly, run.status]);
  const back = useCallback(() => setCursor((c) => Math.max(0, c - 1)), []);

  // Keyboard: Next (→, PageDown, Space), Back (←, PageUp), Escape leaves presenter mode.
  useEffect(() => {
    if (!presenter) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (['ArrowRight', 'PageDown', ' '].includes(e.key)) {
        e.preventDefault();
        void next();
      } else if (['ArrowLeft', 'PageUp'].includes(e.key)) {
        e.preventDefault();
        back();
      } else if (e.key === 'Escape') onExit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [presenter, next, back, onExit]);

  const exportReport = async () => {
    setBusy('Exporting…');
    try {
      const html = await api.demo.exportReport(run.runId);
      const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
      downloadText(html, `mcp-auth-demo-${run.scenarioId}-${stamp}.html`, 'text/html');
      setBusy(undefined);
    } catch (e) {
      setBusy(e instanceof Error ? e.message : String(e));
    }
  };

  const status = run.readOnly
    ? 'Replay of a report (read-only)'
    : run.status === 'paused'
      ? 'Paused: press Next'
      : run.status === 'running'
        ? 'Running…'
        : run.status === 'done'
          ? 'Finished'
          : 'Stopped with an error';

  const toolbar = (
    <div className="demo-toolbar">
      <div className="demo-toolbar__title">
        <h2>{run.title}</h2>
        <p className="muted" aria-live="polite">
          {status} · step {Math.min(cursor + 1, beats.length)} of {beats.length}
        </p>
      </div>
      <label className="demo-switch">
        <input
          type="checkbox"
          checked={reveal}
          disabled={run.readOnly}
          onChange={(e) => onReveal(e.target.checked)}
        />
        Reveal identities
      </label>
      {!run.readOnly && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void exportReport()}
          disabled={run.status === 'running'}
        >
          Export report
        </button>
      )}
      <button type="button" className="button button--ghost" onClick={onExit}>
        {presenter ? 'Exit presenter' : 'Close'}
      </button>
    </div>
  );

  const waiting = atEnd && run.pause && !run.readOnly;
  const narration = (
    <section className="demo-narration" aria-label="Narration" aria-live="polite">
      {beat && (
        <>
          <p className="demo-narration__part">
            {beat.part >= 0 ? run.parts[beat.part]?.title : run.title}
          </p>
          <h3 className="demo-narration__title">{beat.title}</h3>
          {beat.kind === 'wait' && beat.until && <Countdown until={beat.until} />}
          {beat.narration && <p className="demo-narration__text">{beat.narration}</p>}
          {beat.specRef && <p className="demo-narration__spec">{beat.specRef}</p>}
          {beat.kind === 'result' && run.parts[beat.part] && (
            <Outcome part={run.parts[beat.part]!} />
          )}
          {beat.failure && (
            <Callout tone="error" title="What went wrong">
              <p>{beat.failure.cause}</p>
              {beat.failure.fix && (
                <p>
                  <strong>Fix:</strong> {beat.failure.fix}
                </p>
              )}
            </Callout>
          )}
        </>
      )}
      {waiting && (
        <Callout
          tone="info"
          title={
            run.pause!.kind === 'before-browser'
              ? 'Before the browser opens'
              : run.pause!.kind === 'consent'
                ? 'At the consent screen'
                : 'Signing in'
          }
        >
          <p>{run.pause!.narration}</p>
        </Callout>
      )}
      {atEnd && run.status === 'running' && !run.pause && beat?.kind !== 'wait' && (
        <p className="muted">The next exchanges are on their way…</p>
      )}
      {run.error && (
        <Callout tone="error" title="The demo stopped">
          {run.error}
        </Callout>
      )}
      {busy && <p className="muted">{busy}</p>}
      {presenter && (
        <div className="demo-nav">
          <button
            type="button"
            className="button button--secondary"
            onClick={back}
            disabled={cursor === 0}
          >
            ← Back
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void next()}
            disabled={atEnd && run.status !== 'paused'}
          >
            {atEnd && run.status === 'paused' ? 'Next: open the browser →' : 'Next →'}
          </button>
        </div>
      )}
    </section>
  );

  if (presenter) {
    const partIndex = beat && beat.part >= 0 ? beat.part : -1;
    const part = partIndex >= 0 ? run.parts[partIndex] : undefined;
    return (
      <div
        className="demo-presenter"
        role="dialog"
        aria-modal="true"
        aria-label={`Presenting: ${run.title}`}
      >
        {toolbar}
        <div className={`demo-stage${beat?.kind === 'compare' ? ' demo-stage--wide' : ''}`}>
          {narration}
          <div className="demo-stage__picture">
            {beat?.kind === 'setup' && run.setup ? (
              <SetupList setup={run.setup} />
            ) : part ? (
              <SequenceView
                part={part}
                visibleUpTo={visibleArrow(beats, cursor, partIndex)}
                current={beat?.arrow}
                selected={selected?.part === partIndex ? selected.arrow : undefined}
                onSelect={(arrow) => setSelected({ part: partIndex, arrow })}
              />
            ) : (
              <Comparison parts={run.parts} />
            )}
          </div>
        </div>
        {selected && run.parts[selected.part] && (
          <ArrowDetail
            part={run.parts[selected.part]!}
            arrow={selected.arrow}
            onClose={() => setSelected(undefined)}
          />
        )}
      </div>
    );
  }

  return (
    <div className="demo-run">
      {toolbar}
      {run.pause && !run.readOnly && (
        <Callout tone="info" title="Waiting for you">
          <p>{run.pause.narration}</p>
          {run.status === 'paused' && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void api.demo.continue(run.runId)}
            >
              Continue
            </button>
          )}
        </Callout>
      )}
      {run.setup && <SetupList setup={run.setup} />}
      {run.parts.length > 1 && <Comparison parts={run.parts} />}
      {run.parts.map((part, i) => (
        <section key={i} className="demo-part" aria-label={part.title}>
          <h3>{part.title}</h3>
          <div className="demo-part__body">
            <SequenceView
              part={part}
              selected={selected?.part === i ? selected.arrow : undefined}
              onSelect={(arrow) => setSelected({ part: i, arrow })}
            />
            {selected?.part === i && (
              <ArrowDetail
                part={part}
                arrow={selected.arrow}
                onClose={() => setSelected(undefined)}
              />
            )}
          </div>
        </section>
      ))}
    </div>
  );
}

/**
 * Time left until a wait ends (a token expiring), ticking; the server's verdict follows it. The
 * clock is the machine's, the same one the server judges by.
 */
function Countdown({ until }: { until: string }) {
  const end = Date.parse(until);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (now >= end) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [end, now]);
  const left = Math.max(0, Math.ceil((end - now) / 1000));
  return (
    <p className="demo-countdown" role="timer" aria-label="Until the server must refuse the token">
      {left > 0 ? (
        <>
          <span className="demo-countdown__clock">
            {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
          </span>{' '}
          until the server must refuse the token
        </>
      ) : (
        <>Expired: the server’s verdict is next.</>
      )}
    </p>
  );
}

/** What the story changed in the sandbox for its run, and whether it was put back. */
function SetupList({ setup }: { setup: NonNullable<DemoRunView['setup']> }) {
  return (
    <section className="demo-setup" aria-label="The sandbox for this story">
      <h3>For this story</h3>
      <ul>
        {setup.changes.map((change) => (
          <li key={change}>{change}</li>
        ))}
      </ul>
      {setup.restored && <p className="demo-outcome--yes">Restored: everything is as it was.</p>}
      {setup.restoreNote && <p className="demo-outcome--no">{setup.restoreNote}</p>}
    </section>
  );
}

/** A part's result as a short list: what was granted and the server's verdicts. */
function Outcome({ part }: { part: DemoPartView }) {
  const { grantedScopes, verdicts } = part.outcome;
  return (
    <ul className="demo-outcome">
      {grantedScopes && (
        <li>
          <strong>Granted:</strong> {grantedScopes.join(' ') || 'no API scope'}
        </li>
      )}
      {verdicts.map((v, i) => (
        <li key={i} className={v.accepted ? 'demo-outcome--yes' : 'demo-outcome--no'}>
          <strong>{v.what}:</strong> {String(v.status)}, {v.explanation}
        </li>
      ))}
    </ul>
  );
}

/** What each part ended with, in columns. */
function Comparison({ parts }: { parts: DemoPartView[] }) {
  const rows: [string, (p: DemoPartView) => string][] = [
    [
      'Client',
      (p) =>
        `${p.outcome.clientId ?? '—'}${p.outcome.firstParty === undefined ? '' : p.outcome.firstParty ? ' (first-party)' : ' (third-party)'}`,
    ],
    // Second: how each part ended is what the room came for, and it stays above the fold.
    ['Ended', (p) => (p.outcome.failure ? `✗ ${p.outcome.failure.cause}` : p.status)],
    ['Signed in as', (p) => p.signIn?.username ?? 'nobody'],
    ['Consent screen', (p) => (p.signIn?.consent ? 'yes' : 'no')],
    ['Asked for', (p) => p.outcome.requestedScopes.join(' ')],
    [
      'Granted (token scope)',
      (p) => (p.outcome.grantedScopes ? p.outcome.grantedScopes.join(' ') || 'none' : '—'),
    ],
    [
      'whoami',
      (p) => {
        const w = p.outcome.whoami;
        if (!w) return '—';
        const scopes = Array.isArray(w.scopes) ? w.scopes.join(' ') : '';
        return `${String(w.subject ?? '?')} · scopes: ${scopes || 'none'}`;
      },
    ],
  ];
  return (
    <table className="demo-compare">
      <thead>
        <tr>
          <th scope="col" />
          {parts.map((p, i) => (
            <th key={i} scope="col">
              {p.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, cell]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {parts.map((p, i) => (
              <td key={i}>{cell(p)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What clicking an arrow opens: the step's explanation and spec, the failure, the exchange. */
function ArrowDetail(props: { part: DemoPartView; arrow: number; onClose(): void }) {
  const arrow = props.part.diagram.arrows[props.arrow];
  if (!arrow) return null;
  const step = arrow.stepId ? props.part.diagram.steps[arrow.stepId] : undefined;
  const exchange = arrow.exchangeId ? props.part.diagram.exchanges[arrow.exchangeId] : undefined;
  return (
    <aside className="demo-detail" aria-label="The selected arrow">
      <div className="demo-detail__head">
        <h4>{arrow.label}</h4>
        <button type="button" className="button button--ghost" onClick={props.onClose}>
          Close
        </button>
      </div>
      {step && (
        <>
          <p>
            <strong>{step.title}.</strong> {step.explanation}
          </p>
          <p className="muted">{step.specRef}</p>
        </>
      )}
      {arrow.failure && (
        <Callout tone="error" title="What went wrong">
          <p>{arrow.failure.cause}</p>
          {arrow.failure.fix && (
            <p>
              <strong>Fix:</strong> {arrow.failure.fix}
            </p>
          )}
        </Callout>
      )}
      {exchange ? (
        <HttpExchangeView exchange={exchange} />
      ) : arrow.kind === 'decision' ? (
        <JsonView value={{ decision: arrow.label, status: arrow.status }} />
      ) : null}
    </aside>
  );
}
