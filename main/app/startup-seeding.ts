/**
 * The sandbox profiles, seeded at start and kept pointing at the bundled server and the sandbox
 * issuer: their ports may differ between launches, the server's after a restart. Everything else
 * in them stays as the user left it. Ports that had to move after start are told as notices.
 */
import { sandboxProfiles, SANDBOX_THIRD_PARTY_ID } from '../profiles/schema';
import { secretKeys, type SecretStore } from '../profiles/secret-store';
import type { ProfileStore } from '../profiles/store';
import { sandboxInfo, type BundledStack } from '../stack';
import type { TraceRecorder } from '../trace';
import { toApiError } from './api-error';
import type { EventHub } from './event-hub';

export interface SandboxSeeding {
  /** Brings the sandbox profiles (and the third-party client's secret) up to date. */
  sync(): Promise<void>;
  /** Notes the stack made after start (a port that moved), for the app's notices. */
  readonly laterNotices: readonly string[];
  stop(): void;
}

export async function startSandboxSeeding(deps: {
  stack: BundledStack;
  profiles: ProfileStore;
  secrets: SecretStore;
  recorder: TraceRecorder;
  events: EventHub;
}): Promise<SandboxSeeding> {
  const { stack } = deps;
  const sync = async () => {
    const info = sandboxInfo(stack);
    for (const fresh of sandboxProfiles({ mcpUrl: info.mcpUrl, issuer: info.issuer })) {
      const existing = await deps.profiles.get(fresh.id);
      await deps.profiles.save(
        existing ? { ...existing, serverUrl: fresh.serverUrl, issuer: fresh.issuer } : fresh,
      );
    }
    const thirdPartySecret = stack.sandboxIssuer?.clients.find((c) => c.clientSecret)?.clientSecret;
    if (thirdPartySecret)
      await deps.secrets.set(secretKeys.clientSecret(SANDBOX_THIRD_PARTY_ID), thirdPartySecret);
  };
  await sync();

  const laterNotices: string[] = [];
  let notesSeen = stack.notes.length;
  const stop = stack.onChange(() => {
    for (const message of stack.notes.slice(notesSeen)) {
      laterNotices.push(message);
      deps.recorder.record({ type: 'note', level: 'warning', message });
    }
    notesSeen = stack.notes.length;
    void sync()
      .catch((error: unknown) =>
        console.error(
          'The sandbox profiles could not follow the stack:',
          toApiError(error).message,
        ),
      )
      .finally(() => {
        deps.events.publish({ type: 'server-changed' });
        deps.events.publish({ type: 'profiles-changed' });
      });
  });
  return { sync, laterNotices, stop };
}
