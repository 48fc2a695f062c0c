import { useCallback, useEffect, useState } from 'react';
import type { Tool } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useFlows } from '../state/flow-store';
import { useSession } from '../state/session-store';
import { ErrorWithFix } from '../ui/Callout';
import { Icon, Spinner } from '../ui/Icon';
import { ToolForm } from './ToolForm';

/** The Tools tab: the server's tools, whoami one click away, any tool through a generated form. */
export function ToolsView({ profileId, isDraft }: { profileId: string; isDraft: boolean }) {
  const api = useApi();
  const { session } = useSession(isDraft ? undefined : profileId);
  const { latestFlow } = useFlows();
  const flow = latestFlow(profileId);
  const [tools, setTools] = useState<Tool[]>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<{ message: string; fix?: string; code?: string }>();
  const [selected, setSelected] = useState<string>('whoami');

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      setTools(await api.session.listTools(profileId));
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setLoading(false);
    }
  }, [api, profileId]);

  const signedIn = session !== null && session !== undefined;
  const flowTools = flow?.status === 'signed-in' ? flow.tools : undefined;
  useEffect(() => {
    if (flowTools) setTools(flowTools);
    else if (signedIn) void load();
    else setTools(undefined);
  }, [signedIn, flowTools, load]);

  if (isDraft || (!signedIn && !flowTools)) {
    return (
      <section className="card empty">
        <h3>Tools</h3>
        <p>Connect first: the server lists its tools only to a signed-in client.</p>
      </section>
    );
  }

  const tool = tools?.find((t) => t.name === selected) ?? tools?.[0];

  return (
    <div className="tools">
      <section className="card tools__list" aria-labelledby="tools-heading">
        <div className="section-head">
          <h3 id="tools-heading">Tools on this server</h3>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => void load()}
            disabled={loading}
          >
            {loading ? <Spinner /> : <Icon name="refresh" size={16} />}
            Reload
          </button>
        </div>
        {error && <ErrorWithFix error={error} title="Could not list the tools" />}
        {tools && tools.length === 0 && <p className="muted">The server offers no tools.</p>}
        <ul className="tool-items">
          {(tools ?? []).map((t) => (
            <li key={t.name}>
              <button
                type="button"
                className={`tool-item${t.name === tool?.name ? ' tool-item--selected' : ''}`}
                aria-pressed={t.name === tool?.name}
                onClick={() => setSelected(t.name)}
              >
                <span className="tool-item__name">
                  <Icon name="tool" size={18} />
                  <code>{t.name}</code>
                  {t.annotations?.readOnlyHint && <span className="badge">read-only</span>}
                </span>
                {(t.title ?? t.annotations?.title) && (
                  <span className="tool-item__title">{t.title ?? t.annotations?.title}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {tool && (
        <section className="card tools__detail" aria-labelledby="tool-heading">
          <h3 id="tool-heading">
            <code>{tool.name}</code>
            {tool.title && <span className="muted"> · {tool.title}</span>}
          </h3>
          {tool.description && <p>{tool.description}</p>}
          <ToolForm key={`${profileId}:${tool.name}`} profileId={profileId} tool={tool} />
        </section>
      )}
    </div>
  );
}
