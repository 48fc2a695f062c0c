import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxStack, type SandboxStack, type SandboxStackOptions } from '../../main/stack';

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
