import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxStack, type SandboxStack, type SandboxStackOptions } from '../../main/stack';

/**
 * What a server should advertise for the sandbox's third-party client to sign in: its Permissions
 * (like a third-party Logto app's) do not include `email`, so asking for it is refused at /auth.
 */
export const THIRD_PARTY_SERVER_SCOPES = ['openid', 'profile', 'whoami:read'];

/** A sandbox on free loopback ports with a throwaway data folder; `close()` removes both. */
export async function startTestSandbox(
  options: Omit<SandboxStackOptions, 'dataDir'> = {},
): Promise<SandboxStack & { dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-auth-desktop-test-'));
  const stack = await startSandboxStack({ serverPort: 0, issuerPort: 0, ...options, dataDir });
  return {
    ...stack,
    dataDir,
    close: async () => {
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
