import { useEffect, useState } from 'react';
import type { SandboxInfo } from '../../preload/api';

/** A first screen: what is running and how to sign in. The inspector UI replaces it (issue 4). */
export function App() {
  const [info, setInfo] = useState<SandboxInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    window.mcpAuthDesktop
      .getSandboxInfo()
      .then(setInfo)
      .catch((reason: unknown) => setError(String(reason)));
  }, []);

  return (
    <main className="page">
      <h1>MCP Auth Desktop</h1>
      {error && <p role="alert">The sandbox could not start: {error}</p>}
      {!info && !error && <p>Starting the sandbox issuer and the MCP server…</p>}
      {info && (
        <dl className="facts">
          <dt>Issuer</dt>
          <dd>
            <code>{info.issuer}</code>
          </dd>
          <dt>MCP server</dt>
          <dd>
            <code>{info.mcpUrl}</code>
          </dd>
          <dt>Demo users</dt>
          <dd>
            {info.users.map((user) => (
              <div key={user.username}>
                <code>{user.username}</code> / <code>{user.password}</code> ({user.name})
              </div>
            ))}
          </dd>
        </dl>
      )}
    </main>
  );
}
