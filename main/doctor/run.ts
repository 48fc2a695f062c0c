/**
 * Runs every check that needs no person, in the order a sign-in meets them: the issuer, how the
 * client is registered, the server, the authorization request, the clock.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { fetchWithTimeout } from '../shared/fetch-with-timeout';
import { createTracedFetch, type TraceSink } from '../trace';
import { checkAuthorization, planProbe, type ProbePlan } from './checks/authorization';
import { checkClock } from './checks/clock';
import { checkIssuer } from './checks/issuer';
import { checkRegistration } from './checks/registration';
import { checkServer, type ServerFindings } from './checks/server';
import { buildColumns } from './columns';
import type { DoctorContext } from './context';
import type { Check, CheckStatus, DoctorInput, DoctorReport } from './types';

export const DOCTOR_TIMEOUT_MS = 5_000;

/** Every call with a deadline; in the app, recorded in the trace as the client's. */
export function doctorFetch(opts: { recorder?: TraceSink; timeoutMs?: number } = {}): FetchLike {
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
        flowId: 'doctor',
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
  const issuer = await checkIssuer(input, context);
  checks.push(...issuer.checks);
  const doc = issuer.document;
  if (doc) checks.push(checkRegistration(input, doc));

  let server: ServerFindings | undefined;
  if (input.serverUrl) {
    server = await checkServer({ ...input, serverUrl: input.serverUrl }, context);
    checks.push(...server.checks);
  }
  let plan: ProbePlan | undefined;
  if (doc && input.clientId && !server?.resourceError) {
    plan = planProbe({ ...input, clientId: input.clientId }, server);
    checks.push(...(await checkAuthorization(input, doc, plan, context)));
  }
  if (issuer.clock) checks.push(checkClock(issuer.clock));

  return {
    input,
    checkedAt: new Date(context.now()).toISOString(),
    checks,
    columns: buildColumns({
      issuer: input.issuer,
      checks,
      ...(input.clientId && { clientId: input.clientId }),
      ...(doc && { doc }),
      ...(server && { server }),
      ...(plan && { plan }),
    }),
    verdict: verdictOf(checks),
  };
}
