/**
 * Runs every check that needs no person, in the order a sign-in meets them: the issuer, how the
 * client is registered, the server, the authorization request, the clock.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { fetchWithTimeout } from '../shared/fetch-with-timeout';
import { createTracedFetch, type TraceSink } from '../trace';
import { checkAuthorization, planProbe, type ProbePlan } from './checks/authorization';
import { checkClock } from './checks/clock';
import { checkIssuer, noIssuerCheck, type IssuerDocument } from './checks/issuer';
import { checkRegistration } from './checks/registration';
import { checkServer, type ServerFindings } from './checks/server';
import { buildColumns } from './columns';
import type { DoctorContext } from './context';
import type { Check, CheckStatus, DoctorInput, DoctorReport } from './types';

export const DOCTOR_TIMEOUT_MS = 5_000;

/** Every call with a deadline; in the app, recorded in the trace as the client's. */
export function doctorFetch(
  opts: { recorder?: TraceSink; timeoutMs?: number; flowId?: string } = {},
): FetchLike {
  // The doctor and the SDK's discovery pass URLs; a Request is reduced to its URL.
  const timed = (url: string | URL | Request, init?: RequestInit) =>
    fetchWithTimeout(
      url instanceof Request ? url.url : url,
      init,
      opts.timeoutMs ?? DOCTOR_TIMEOUT_MS,
    );
  return opts.recorder
    ? createTracedFetch({
        recorder: opts.recorder,
        party: 'client',
        flowId: opts.flowId ?? 'doctor',
        fetch: timed,
      })
    : timed;
}

export function verdictOf(checks: Check[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
}

export async function runDoctor(
  input: DoctorInput,
  ctx: Partial<DoctorContext> = {},
): Promise<DoctorReport> {
  const context: DoctorContext = { fetch: ctx.fetch ?? doctorFetch(), now: ctx.now ?? Date.now };
  const checks: Check[] = [];
  const serverChecks = (issuerUrl: string | undefined) =>
    checkServer(
      { ...input, serverUrl: input.serverUrl!, ...(issuerUrl && { issuer: issuerUrl }) },
      context,
    );
  // Without an issuer the engine follows the server's metadata: so does the doctor.
  let server: ServerFindings | undefined =
    !input.issuer && input.serverUrl ? await serverChecks(undefined) : undefined;
  const issuerUrl = input.issuer ?? server?.metadata?.authorization_servers?.[0];
  if (!issuerUrl) {
    checks.push(...(server?.checks ?? []), noIssuerCheck(input.serverUrl));
    return report(input, context, checks, { ...(server && { server }) });
  }
  const resolved = { ...input, issuer: issuerUrl };
  const issuer = await checkIssuer(resolved, context);
  checks.push(...issuer.checks);
  const doc = issuer.document;
  if (doc) checks.push(checkRegistration(resolved, doc));
  if (!server && input.serverUrl) server = await serverChecks(issuerUrl);
  if (server) checks.push(...server.checks);

  let plan: ProbePlan | undefined;
  if (doc && input.clientId && !server?.resourceError) {
    plan = planProbe({ ...resolved, clientId: input.clientId }, server);
    checks.push(...(await checkAuthorization(resolved, doc, plan, context)));
  }
  if (issuer.clock) checks.push(checkClock(issuer.clock));
  return report(resolved, context, checks, {
    ...(doc && { doc }),
    ...(server && { server }),
    ...(plan && { plan }),
  });
}

function report(
  input: DoctorInput,
  context: DoctorContext,
  checks: Check[],
  parts: { doc?: IssuerDocument; server?: ServerFindings; plan?: ProbePlan },
): DoctorReport {
  return {
    input,
    checkedAt: new Date(context.now()).toISOString(),
    checks,
    columns: buildColumns({
      checks,
      ...(input.issuer && { issuer: input.issuer }),
      ...(input.clientId && { clientId: input.clientId }),
      ...parts,
    }),
    verdict: verdictOf(checks),
  };
}
