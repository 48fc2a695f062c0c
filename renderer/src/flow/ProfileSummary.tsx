import type { Profile } from '../../../preload/api';

const RESOURCE_TEXT = {
  auto: 'automatic (a JWT for this server)',
  none: 'none (an opaque token, checked at userinfo)',
} as const;

/** The few facts of a profile that decide how the sign-in goes. */
export function ProfileSummary({ profile }: { profile: Profile }) {
  return (
    <dl className="facts facts--inline">
      <dt>MCP server</dt>
      <dd>
        <code>{profile.serverUrl}</code>{' '}
        <span className="muted">({profile.transport === 'sse' ? 'SSE' : 'Streamable HTTP'})</span>
      </dd>
      <dt>Issuer</dt>
      <dd>
        {profile.issuer ? <code>{profile.issuer}</code> : <span>from the server’s metadata</span>}
      </dd>
      <dt>Client ID</dt>
      <dd>
        {profile.clientId ? <code>{profile.clientId}</code> : <span>none (registers itself)</span>}
        {profile.hasClientSecret && <span className="muted"> + client secret</span>}
      </dd>
      <dt>Resource</dt>
      <dd>
        {profile.resource.mode === 'custom' ? (
          <code>{profile.resource.value}</code>
        ) : (
          <span>{RESOURCE_TEXT[profile.resource.mode]}</span>
        )}
      </dd>
      <dt>Scopes</dt>
      <dd>
        <code>{profile.scopes.join(' ') || '(none)'}</code>
      </dd>
    </dl>
  );
}
