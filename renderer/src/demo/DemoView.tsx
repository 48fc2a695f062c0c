import { useEffect, useState } from 'react';
import type { DemoRunView, DemoScenarioInfo } from '../../../preload/api';
import { useApi, useAppEvents } from '../api/api-context';
import { TrustOffer } from '../server/TrustOffer';
import { useProfiles } from '../state/profile-store';
import { Callout } from '../ui/Callout';
import { RunView } from './RunView';
import { useDemoRun } from './use-demo-run';
import './demo.css';

/**
 * Demo mode: one-click scenarios on the sandbox, drawn as a sequence diagram, told step by step
 * in presenter mode, exported as a report; and reports opened again for a replay.
 */
export function DemoView() {
  const api = useApi();
  const { profiles } = useProfiles();
  const [scenarios, setScenarios] = useState<DemoScenarioInfo[]>([]);
  const [presenter, setPresenter] = useState(true);
  const [reveal, setReveal] = useState(false);
  const [runId, setRunId] = useState<string>();
  const [report, setReport] = useState<DemoRunView>();
  const [error, setError] = useState<{ message: string; fix?: string }>();
  /** Per scenario, the profile whose tenant it plays on; absent: the sandbox. */
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [listed, setListed] = useState(0);
  const { run } = useDemoRun(report ? undefined : runId, reveal, report);

  useEffect(() => {
    void api.demo.scenarios().then(setScenarios, (e: unknown) => setError({ message: String(e) }));
  }, [api, listed]);
  useAppEvents((event) => {
    if (event.type === 'profiles-changed') setListed((n) => n + 1);
    // A refusal to start is about the server it named (say, the issuer it trusted): now stale.
    if (event.type === 'server-changed') setError(undefined);
  });

  const start = async (id: string) => {
    setError(undefined);
    setReport(undefined);
    setReveal(false);
    // Only a profile still on offer: one deleted since it was picked means the sandbox again.
    const target = scenarios
      .find((s) => s.id === id)
      ?.onTenant?.targets.find((t) => t.profileId === targets[id])?.profileId;
    try {
      setRunId((await api.demo.start(id, { presenter, ...(target && { target }) })).runId);
    } catch (e) {
      setError(e as { message: string; fix?: string });
    }
  };

  const open = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    try {
      setReport(await api.demo.openReport(await file.text()));
      setRunId(undefined);
    } catch (e) {
      setError(e as { message: string; fix?: string });
    }
  };

  const exit = () => {
    if (runId && run && run.status !== 'done' && run.status !== 'failed') void api.demo.stop(runId);
    setRunId(undefined);
    setReport(undefined);
  };

  if (run && (runId || report)) {
    return (
      <RunView
        key={run.runId + (report ? '-report' : '')}
        run={run}
        presenter={report ? true : presenter}
        reveal={reveal}
        onReveal={setReveal}
        onExit={exit}
      />
    );
  }

  return (
    <div className="demo-home">
      <p>
        Play a sign-in story on the sandbox (or your tenant, where a story allows), drawn as a
        sequence diagram as it happens: the person at the browser, this app, the issuer and the MCP
        server, with the server’s own decisions. Emails and subject IDs stay masked until you reveal
        them; tokens only ever show as fingerprints.
      </p>
      <label className="demo-switch demo-switch--big">
        <input
          type="checkbox"
          checked={presenter}
          onChange={(e) => setPresenter(e.target.checked)}
        />
        Presenter mode (large type, one step at a time, Next/Back with the arrow keys)
      </label>
      {error && (
        <Callout tone="error" title="Could not do that" role="alert">
          <p>{error.message}</p>
          {error.fix && <p>{error.fix}</p>}
        </Callout>
      )}
      <ul className="demo-scenarios">
        {scenarios.map((s) => {
          const choices = s.onTenant?.targets ?? [];
          const target = choices.find((t) => t.profileId === targets[s.id]);
          const targetProfile = profiles.find((p) => p.profile.id === target?.profileId)?.profile;
          return (
            <li key={s.id} className="demo-scenario">
              <h3>{s.title}</h3>
              {choices.length > 0 && (
                <label className="demo-target">
                  Play on{' '}
                  <select
                    value={target?.profileId ?? ''}
                    onChange={(e) => setTargets((t) => ({ ...t, [s.id]: e.target.value }))}
                  >
                    <option value="">the sandbox</option>
                    {choices.map((t) => (
                      <option key={t.profileId} value={t.profileId}>
                        {t.name} ({hostOf(t.issuer)})
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <p>{target && s.onTenant ? s.onTenant.summary : s.summary}</p>
              <p className="muted">
                {target
                  ? `Played with the client of “${target.name}”, at ${hostOf(target.issuer)}. For the last part, sign in as one of its users who lacks the API permission.`
                  : s.signIns.length
                    ? `Sign in as ${s.signIns.map((u) => `${u.username} / ${u.password}`).join(', then ')}.`
                    : 'No browser needed.'}
              </p>
              {targetProfile && <TrustOffer profile={targetProfile} />}
              <button
                type="button"
                className="button button--primary"
                onClick={() => void start(s.id)}
              >
                Run “{s.title}”
              </button>
            </li>
          );
        })}
      </ul>
      <label className="demo-open">
        Open a report to replay it:{' '}
        <input
          type="file"
          accept=".html,text/html"
          onChange={(e) => void open(e.target.files?.[0])}
        />
      </label>
    </div>
  );
}

const hostOf = (url: string): string => URL.parse(url)?.host ?? url;
