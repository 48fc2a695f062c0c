/**
 * What a scenario changes in the sandbox for its own run, and putting it back: the scopes the
 * bundled server requires (so bob meets a real 403), the sandbox's access-token lifetime and the
 * server's clock leeway (so a real token expires, and is refused, while the room watches).
 * Applied before the first part, restored when the run ends however it ends (done, stopped,
 * failed, the app closing), never left behind.
 */
import type { ServerSettings } from '../server/settings-types';

export interface SandboxChanges {
  /** The bundled server requires exactly these scopes during the run. */
  requiredScopes?: string[];
  /** The sandbox issues access tokens that live this many seconds during the run. */
  accessTokenTtlSec?: number;
  /**
   * The bundled server's leeway past a JWT's exp during the run, in seconds. The sandbox and the
   * server share one machine's clock, so there is no skew to allow for (RFC 7519 §4.1.4).
   */
  clockToleranceSec?: number;
}

/** What the runner may change, from the app (main/api.ts). */
export interface SandboxControls {
  serverSettings(): ServerSettings;
  /** The server restarts with these settings for the run; they are not saved as the user's. */
  applyServerSettings(settings: ServerSettings): Promise<void>;
  /** The lifetime override in force (undefined: the API resource's own) and that own lifetime. */
  accessTokenTtl(): { override: number | undefined; resourceSec: number };
  setAccessTokenTtl(sec: number | undefined): void;
}

export interface AppliedChanges {
  /** One plain sentence per change, for the presenter to say before the story starts. */
  told: string[];
  /** The server's settings and token lifetime in force during the run, for the report. */
  during: { requiredScopes: string[]; accessTokenTtlSec: number; clockToleranceSec: number };
  /** Whether the story changed the server's clock leeway (the report says so). */
  leewayChanged: boolean;
  /** Puts everything back; says what it could not. Runs once, however often it is called. */
  restore(): Promise<{ restored: boolean; note?: string }>;
}

const sameSettings = (a: ServerSettings, b: ServerSettings): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const listed = (scopes: readonly string[]) => scopes.join(' ') || 'no scope';
const leewayOf = (sec: number) => (sec ? `a clock leeway of ${sec} s` : 'no clock leeway');

export async function applySandboxChanges(
  controls: SandboxControls,
  changes: SandboxChanges,
): Promise<AppliedChanges> {
  const told: string[] = [];
  const before = structuredClone(controls.serverSettings());
  const ttl = controls.accessTokenTtl();
  let applied: ServerSettings | undefined;
  let ttlChanged = false;

  let restoring: Promise<{ restored: boolean; note?: string }> | undefined;
  const restore = async (): Promise<{ restored: boolean; note?: string }> => {
    const notes: string[] = [];
    if (ttlChanged) controls.setAccessTokenTtl(ttl.override);
    if (applied) {
      if (!sameSettings(controls.serverSettings(), applied)) {
        // Someone applied other settings in the Server tab meanwhile: theirs stay.
        notes.push(
          'The server’s settings were changed during the story, so they were left as they are now.',
        );
      } else {
        try {
          await controls.applyServerSettings(before);
        } catch (error) {
          const fields = [
            `the required scopes to ${before.requiredScopes.length ? listed(before.requiredScopes) : 'none'}`,
            ...(applied.clockToleranceSec !== before.clockToleranceSec
              ? [`the clock leeway to ${before.clockToleranceSec} s`]
              : []),
          ];
          notes.push(
            `Your server settings could not be put back (${error instanceof Error ? error.message : String(error)}): ` +
              `set ${fields.join(' and ')} in the Server tab.`,
          );
        }
      }
    }
    return { restored: notes.length === 0, ...(notes.length && { note: notes.join(' ') }) };
  };
  const restoreOnce = () => (restoring ??= restore());

  try {
    // The server's changes go in one restart: a story starts as soon as the server is back.
    const next = { ...before };
    const serverTold: string[] = [];
    const wanted = changes.requiredScopes;
    if (wanted && listed(before.requiredScopes) === listed(wanted)) {
      told.push(`The bundled server already requires ${listed(wanted)}: nothing to change.`);
    } else if (wanted) {
      next.requiredScopes = [...wanted];
      serverTold.push(
        `For this story the bundled server now requires ${listed(wanted)} on every request ` +
          `(your settings: ${before.requiredScopes.length ? listed(before.requiredScopes) : 'no required scope'}). ` +
          'They come back as they were when the story ends.',
      );
    }
    const leeway = changes.clockToleranceSec;
    if (leeway !== undefined && leeway !== before.clockToleranceSec) {
      next.clockToleranceSec = leeway;
      serverTold.push(
        `For this story the bundled server allows ${leewayOf(leeway)} past a token's expiry ` +
          `(normally ${before.clockToleranceSec} s, for an issuer whose clock differs): the sandbox runs on this machine, ` +
          'on the same clock. Your leeway comes back when the story ends.',
      );
    }
    if (serverTold.length) {
      // Throws with the previous settings still in force (BundledStack.apply puts them back).
      await controls.applyServerSettings(next);
      applied = next;
      told.push(...serverTold);
    }
    if (changes.accessTokenTtlSec !== undefined) {
      controls.setAccessTokenTtl(changes.accessTokenTtlSec);
      ttlChanged = true;
      told.push(
        `For this story the sandbox issues access tokens that live ${changes.accessTokenTtlSec} s ` +
          `(normally ${ttl.override ?? ttl.resourceSec} s), so one really expires while you watch. ` +
          'The usual lifetime comes back when the story ends.',
      );
    }
  } catch (error) {
    await restoreOnce();
    throw error;
  }

  return {
    told,
    during: {
      requiredScopes: [...(applied ?? before).requiredScopes],
      accessTokenTtlSec: changes.accessTokenTtlSec ?? ttl.override ?? ttl.resourceSec,
      clockToleranceSec: (applied ?? before).clockToleranceSec,
    },
    leewayChanged: !!applied && applied.clockToleranceSec !== before.clockToleranceSec,
    restore: restoreOnce,
  };
}
