/**
 * A real sign-in's trace from the sandbox, for the diagram's tests and benchmark: alice signs in
 * with the native client (refresh tokens on), calls whoami, refreshes and signs out; then a
 * second flow with a mistyped client ID fails before the browser. Returns the redacted events,
 * the server's decisions and the steps' final state.
 */
import type { StepState } from '../../main/client/engine/types';
import type { VerificationEvent } from '../../main/server/verification-event';
import type { RecordedEvent } from '../../main/trace/events';
import { startEngineHost } from './engine-host';
import { startTestSandbox } from './sandbox';

export interface RecordedFlow {
  flowId: string;
  steps: StepState[];
}

export interface DemoTrace {
  serverUrl: string;
  events: RecordedEvent[];
  decisions: VerificationEvent[];
  signIn: RecordedFlow;
  wrongClient: RecordedFlow;
}

export async function recordDemoTrace(): Promise<DemoTrace> {
  const sandbox = await startTestSandbox();
  const host = await startEngineHost();
  const decisions: VerificationEvent[] = [];
  sandbox.server.events.on('verification', (d: VerificationEvent) => decisions.push(d));
  try {
    host.setPerson({ username: 'alice', password: 'alice-sandbox' });
    const settings = {
      serverUrl: sandbox.server.url,
      transport: 'streamable-http' as const,
      scopes: ['openid', 'profile', 'offline_access', 'whoami:read'],
      resource: { mode: 'auto' as const },
      extraParams: {},
      refreshTokens: true,
      prompt: 'consent',
    };
    const flow = host.flow({ ...settings, profileId: 'alice', clientId: 'sandbox-native' });
    await flow.run();
    await flow.callTool('whoami');
    await flow.refresh();
    await flow.signOut();
    await flow.close();
    const wrong = host.flow({ ...settings, profileId: 'typo', clientId: 'sandbox-natve' });
    await wrong.run().catch(() => undefined);
    return {
      serverUrl: sandbox.server.url,
      events: [...host.recorder.events()],
      decisions,
      signIn: { flowId: flow.id, steps: structuredClone(flow.steps) },
      wrongClient: { flowId: wrong.id, steps: structuredClone(wrong.steps) },
    };
  } finally {
    await host.close();
    await sandbox.close();
  }
}
