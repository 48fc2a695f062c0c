import type { ProfileView } from '../../../preload/api';
import { useFlows } from '../state/flow-store';
import { useIsDraft, useProfiles } from '../state/profile-store';
import { useSession, useSessions } from '../state/session-store';
import { SessionPanel } from '../session/SessionPanel';
import { SignOutReportView } from '../session/SignOutReportView';
import { TrustOffer } from '../server/TrustOffer';
import { ErrorWithFix } from '../ui/Callout';
import { FlowActions } from './FlowActions';
import { FlowStatusBanner } from './FlowStatusBanner';
import { GuidedControls } from './GuidedControls';
import { ProfileSummary } from './ProfileSummary';
import { StepList } from './StepList';

/** The Connection tab: connect or step through, follow the steps, and the signed-in session. */
export function ConnectionView({ view }: { view: ProfileView }) {
  const { profile } = view;
  const { info } = useProfiles();
  const isDraft = useIsDraft(profile.id);
  const { latestFlow, lastOpened } = useFlows();
  const flow = latestFlow(profile.id);
  const sessions = useSessions();
  const { session, whoami, signOutReport, loadError } = useSession(
    isDraft ? undefined : profile.id,
  );
  const demoUsers = profile.kind === 'sandbox' ? info.sandbox.users : undefined;
  const flowActive = flow?.status === 'running' || flow?.status === 'paused';
  // "Signed in" only when it is true now: never beside a failed or cancelled run.
  const showSession = !!session && !flowActive && (!flow || flow.status === 'signed-in');
  // Beside the failure when the server refused the issuer, else before connecting.
  const mismatchFailed = flow?.status === 'failed' && flow.error?.code === 'issuer_mismatch';

  return (
    <div className="connection">
      <section className="card" aria-labelledby="profile-summary-heading">
        <h3 id="profile-summary-heading" className="visually-hidden">
          Profile
        </h3>
        <ProfileSummary profile={profile} />
        <FlowActions
          profileId={profile.id}
          flow={flow}
          disabled={isDraft ? 'Create the profile first (Profile settings tab).' : undefined}
        />
      </section>
      {!isDraft && !mismatchFailed && !flowActive && <TrustOffer profile={profile} />}

      {flow && !(flow.status === 'signed-in' && session === null) && (
        <FlowStatusBanner flow={flow} demoUsers={demoUsers} />
      )}
      {mismatchFailed && <TrustOffer profile={profile} />}
      {flow && <GuidedControls flow={flow} />}

      {loadError && (
        <ErrorWithFix error={{ message: loadError }} title="Could not read the session" />
      )}
      {signOutReport && (
        <SignOutReportView
          report={signOutReport}
          endSessionUrl={lastOpened?.purpose === 'sign-out' ? lastOpened.url : undefined}
          onDismiss={() => sessions.dismissSignOut(profile.id)}
        />
      )}
      {session && showSession && (
        <SessionPanel profileId={profile.id} session={session} whoami={whoami} />
      )}
      {session && !showSession && !flowActive && (
        <p className="muted">
          Tokens from an earlier sign-in are still stored for this profile; they are used on the
          next Connect, or forgotten with Sign out after connecting.
        </p>
      )}

      {flow ? (
        <StepList flow={flow} />
      ) : (
        !session && (
          <section className="card empty" aria-labelledby="empty-heading">
            <h3 id="empty-heading">Not signed in</h3>
            <p>
              <strong>Connect</strong> runs the whole sign-in: it asks the MCP server, discovers the
              issuer, opens the sign-in page in your browser, exchanges the code for tokens and
              calls <code>whoami</code>.
            </p>
            <p>
              <strong>Step through</strong> does the same one step at a time, showing what each step
              will send before it runs.
            </p>
            {demoUsers && (
              <p className="muted">
                Sandbox demo users:{' '}
                {demoUsers.map((user, index) => (
                  <span key={user.username}>
                    {index > 0 && ', '}
                    <code>{user.username}</code> / <code>{user.password}</code> ({user.name})
                  </span>
                ))}
              </p>
            )}
          </section>
        )
      )}
    </div>
  );
}
