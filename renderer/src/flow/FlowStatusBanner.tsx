import type { FlowView, SandboxInfo } from '../../../preload/api';
import { FailureDoctor } from '../doctor/FailureDoctor';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Spinner } from '../ui/Icon';
import { CancelQuestion } from './CancelQuestion';
import { SignInLink } from './SignInLink';
import { isWaitingForSignIn } from './StepStatusBadge';

/** One sentence on where the flow is, announced politely as it changes. */
export function FlowStatusBanner(props: {
  flow: FlowView;
  demoUsers?: SandboxInfo['users'] | undefined;
}) {
  const { flow, demoUsers } = props;
  const current =
    flow.steps.find((step) => step.status === 'running' || step.status === 'waiting') ??
    flow.steps.find((step) => step.status === 'pending');
  const asking = flow.steps.some((step) => step.question);
  const signingIn = flow.status === 'running' && !asking && isWaitingForSignIn(flow.steps, false);
  const failedStep = flow.steps.find((step) => step.status === 'failed');
  const error = flow.error ?? failedStep?.error;

  return (
    <div className="flow-status" aria-live="polite">
      {asking && <CancelQuestion flow={flow} />}
      {flow.status === 'running' && !signingIn && !asking && (
        <Callout tone="info" title={<>Working… {current ? current.title : ''}</>}>
          <p className="flow-status__line">
            <Spinner /> The steps below update as each one finishes.
          </p>
        </Callout>
      )}
      {signingIn && (
        <Callout tone="info" title="Waiting for you to sign in in the browser">
          {flow.authorizationUrl ? (
            <SignInLink url={flow.authorizationUrl} demoUsers={demoUsers} />
          ) : (
            <p>The sign-in page is opening.</p>
          )}
        </Callout>
      )}
      {flow.status === 'signed-in' && (
        <Callout tone="success" title="Signed in and connected">
          <p>
            {flow.tools && flow.tools.length > 0
              ? `The server offers ${flow.tools.length === 1 ? '1 tool' : `${flow.tools.length} tools`}: ${flow.tools.map((tool) => tool.name).join(', ')}.`
              : 'The MCP session is open.'}
          </p>
        </Callout>
      )}
      {flow.status === 'cancelled' && (
        <Callout tone="warning" title="Cancelled">
          <p>{error?.message ?? 'The sign-in was cancelled. Connect again to start over.'}</p>
          {error?.fix && <p>{error.fix}</p>}
        </Callout>
      )}
      {flow.status === 'failed' && error && (
        <>
          <ErrorWithFix
            error={error}
            title={failedStep ? `Failed at: ${failedStep.title}` : 'The connection failed'}
            role="alert"
          />
          {failedStep && (
            <p>
              <a href={`#step-${failedStep.id}`}>Go to the failed step and its HTTP exchanges</a>
            </p>
          )}
          <FailureDoctor key={flow.flowId} profileId={flow.profileId} code={error.code} />
        </>
      )}
    </div>
  );
}
