/**
 * The demo block of the app's API: scenarios, runs and reports. main/api.ts composes it with the
 * hooks it needs (DemoHost); input from the renderer is checked here.
 */
import type { DemoRunOptions, DemoRunView, DemoScenarioInfo } from './types';
import { DemoRun, type DemoHost } from './demo-runner';
import { renderReportHtml } from './html';
import { readReportHtml, ReportFileError } from './report-file';
import { SCENARIOS, scenarioById } from './scenarios';

export class DemoApiError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Runs kept for export and replay; the oldest go first. */
const MAX_RUNS = 20;

/** The demo block of the API, and `close` for the app's shutdown (not an API method). */
export function createDemoApi(host: DemoHost) {
  const runs = new Map<string, DemoRun>();
  /** Stops every run and waits until each has put the sandbox back as it found it. */
  const stopAll = async () => {
    for (const run of runs.values()) run.stop();
    await Promise.all([...runs.values()].map((run) => run.finished));
  };
  const runOrThrow = (runId: unknown): DemoRun => {
    const run = typeof runId === 'string' ? runs.get(runId) : undefined;
    if (!run)
      throw new DemoApiError(
        'That demo run is not known (the app may have restarted).',
        'Start the scenario again.',
      );
    return run;
  };
  const api = {
    async listDemoScenarios(): Promise<DemoScenarioInfo[]> {
      const targets = await host.targets();
      return SCENARIOS.map((s) => ({
        id: s.id,
        title: s.title,
        summary: s.summary,
        signIns: s.parts.flatMap((p) =>
          p.signIn
            ? [
                {
                  username: p.signIn.username,
                  password:
                    host.sandbox.users.find((u) => u.username === p.signIn?.username)?.password ??
                    '',
                  consent: p.signIn.consent,
                },
              ]
            : [],
        ),
        ...(s.onTenant && { onTenant: { summary: s.onTenant.summary, targets } }),
      }));
    },

    async startDemo(scenarioId: string, options: DemoRunOptions): Promise<DemoRunView> {
      const scenario = typeof scenarioId === 'string' ? scenarioById(scenarioId) : undefined;
      if (!scenario)
        throw new DemoApiError(
          `There is no scenario ${String(scenarioId)}.`,
          'Pick one from the list.',
        );
      const target: unknown = options?.target;
      if (target !== undefined && (typeof target !== 'string' || !target))
        throw new DemoApiError('The target must be a profile id.', 'Pick a profile from the list.');
      if (target !== undefined && !scenario.onTenant)
        throw new DemoApiError(
          `“${scenario.title}” plays on the sandbox only: it needs the sandbox’s demo users and settings.`,
          'Run it on the sandbox, or pick “What goes wrong” to play on your tenant.',
        );
      // One story at a time, and the next starts only once the last one restored the sandbox:
      // otherwise it would take the last one's temporary settings for the user's.
      await stopAll();
      const where = await host.prepare(target);
      const run = new DemoRun(scenario, options?.presenter === true, host, where);
      runs.set(run.id, run);
      while (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value!);
      void run.run();
      return run.view(false);
    },

    async continueDemo(runId: string): Promise<void> {
      if (!runOrThrow(runId).continue()) throw new DemoApiError('The demo is not waiting for you.');
      host.changed(runId);
    },

    async stopDemo(runId: string): Promise<void> {
      runOrThrow(runId).stop();
    },

    async getDemoRun(runId: string, reveal: boolean): Promise<DemoRunView> {
      return runOrThrow(runId).view(reveal === true);
    },

    async exportDemoReport(runId: string): Promise<string> {
      return renderReportHtml(runOrThrow(runId).view(false));
    },

    async openDemoReport(html: string): Promise<DemoRunView> {
      try {
        return readReportHtml(html);
      } catch (error) {
        if (error instanceof ReportFileError) throw new DemoApiError(error.message, error.fix);
        throw error;
      }
    },
  };
  return { api, close: stopAll };
}
