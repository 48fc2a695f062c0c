/**
 * After a failed sign-in, the failure points at the doctor check that explains it: the engine's
 * real failures on the sandbox, mapped to a check id, and that check fails in the doctor's report
 * for the same settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowSettings } from '../../main/client/engine/flow';
import { FlowStepError } from '../../main/client/engine/notes';
import { checkForFailure, runDoctor } from '../../main/doctor';
import { startEngineHost } from '../support/engine-host';
import { startTestSandbox } from '../support/sandbox';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let host: Awaited<ReturnType<typeof startEngineHost>>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  host = await startEngineHost();
});
afterAll(async () => {
  await host.close();
  await sandbox.close();
});

const settings = (over: Partial<FlowSettings>): FlowSettings => ({
  profileId: 'failure-map',
  serverUrl: sandbox.server.url,
  transport: 'streamable-http',
  issuer: sandbox.issuer.issuer,
  clientId: 'sandbox-native',
  scopes: ['openid', 'profile'],
  resource: { mode: 'auto' },
  extraParams: {},
  refreshTokens: false,
  ...over,
});

async function explain(over: Partial<FlowSettings>) {
  const flow = host.flow(settings(over));
  const error = await flow.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  await flow.close();
  expect(error).toBeInstanceOf(FlowStepError);
  const s = settings(over);
  const report = await runDoctor({
    issuer: s.issuer!,
    serverUrl: s.serverUrl,
    scopes: s.scopes,
    resource: s.resource,
    ...(s.clientId && { clientId: s.clientId }),
    redirectUri: host.redirectUri,
  });
  const checkId = checkForFailure((error as FlowStepError).code);
  return {
    code: (error as FlowStepError).code,
    check: report.checks.find((c) => c.id === checkId),
  };
}

describe('a failed sign-in points at the failing check', () => {
  it.each([
    [{ clientId: 'no-such-client' }, 'invalid_client', 'authorization.client'],
    [{ clientId: 'sandbox-spa' }, 'invalid_redirect_uri', 'authorization.redirect-uri'],
    [
      { resource: { mode: 'custom', value: 'http://localhost:3999/' } } as const,
      'invalid_target',
      'authorization.resource',
    ],
    [{ clientId: '' }, 'client_id_required', 'registration.method'],
    [{ issuer: 'http://127.0.0.1:9/oidc' }, 'issuer_mismatch', 'server.authorization-servers'],
  ])('%o → %s → %s', async (over, code, checkId) => {
    const { code: seen, check } = await explain(over);
    expect(seen).toBe(code);
    expect(check).toMatchObject({ id: checkId, status: 'fail' });
  });

  it('a server URL its resource indicator does not cover → server.resource', async () => {
    const { code, check } = await explain({
      serverUrl: sandbox.server.url.replace('localhost', '127.0.0.1'),
    });
    expect(code).toBe('resource_mismatch');
    expect(check).toMatchObject({ id: 'server.resource', status: 'fail' });
  });
});
