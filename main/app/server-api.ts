/** The Server tab: the bundled server's status, its recent decisions and its settings. */
import type { ServerApi } from '../../preload/api';
import { trustsSandbox, validateServerSettings, type VerificationEvent } from '../server';
import type { BundledStack } from '../stack';
import { ApiError, toApiError } from './api-error';
import { clientSnippets } from './client-snippets';
import type { EventHub } from './event-hub';

const MAX_DECISIONS = 200;

export function createServerApi(deps: { stack: BundledStack; events: EventHub }): {
  server: ServerApi;
  close(): void;
} {
  const { stack, events } = deps;
  const decisions: VerificationEvent[] = [];
  const onDecision = (decision: VerificationEvent) => {
    decisions.unshift(decision);
    decisions.length = Math.min(decisions.length, MAX_DECISIONS);
    events.publish({ type: 'server-decision', decision });
  };
  stack.events.on('verification', onDecision);
  const onIssuerStatus = () => events.publish({ type: 'server-changed' });
  stack.events.on('issuer-status', onIssuerStatus);
  // A restarted server starts a fresh list: the old decisions were made under other settings.
  const stopWatching = stack.onChange((change) => {
    if (change === 'server') decisions.length = 0;
  });

  const server: ServerApi = {
    async status() {
      const { server, settings } = stack;
      return {
        running: true,
        url: server.url,
        sseUrl: server.sseUrl,
        resource: server.resource,
        issuer: server.issuer,
        trustsSandbox: trustsSandbox(settings),
        issuerStatus: server.issuerStatus(),
        settings,
        verification: server.verification,
        requiredScopes: server.requiredScopes,
        recentDecisions: [...decisions],
        snippets: clientSnippets({ mcpUrl: server.url, scopes: server.scopesSupported }),
      };
    },
    async settings() {
      return stack.settings;
    },
    async validateSettings(input) {
      return validateServerSettings(input);
    },
    async applySettings(input) {
      try {
        return await stack.apply(input);
      } catch (error) {
        throw new ApiError(
          `The server could not restart with these settings: ${toApiError(error).message}`,
          'The previous settings are still in force; nothing you typed was lost.',
        );
      }
    },
  };
  return {
    server,
    close() {
      stack.events.off('verification', onDecision);
      stack.events.off('issuer-status', onIssuerStatus);
      stopWatching();
    },
  };
}
