import type { ApiResource } from './types';

/**
 * The bundled MCP server's resource indicator. Logto's MCP guides register the server URL WITH a
 * trailing slash (an MCP SDK quirk, docs/logto.md), and Logto matches indicators exactly.
 */
export const DEFAULT_RESOURCE = 'http://localhost:3001/';

/** The bundled MCP server as a Logto API resource, with its one permission. */
export function sandboxApiResource(indicator: string): ApiResource {
  return {
    indicator,
    name: 'MCP Auth Desktop server',
    scopes: [{ name: 'whoami:read', description: 'Read your identity through the whoami tool' }],
    // Logto's default access token lifetime for an API resource.
    accessTokenTtlSec: 3600,
  };
}

export const DEFAULT_API_RESOURCES: readonly ApiResource[] = [sandboxApiResource(DEFAULT_RESOURCE)];

/** Rejects configurations that would otherwise fail later with an obscure oidc-provider error. */
export function validateApiResources(resources: readonly ApiResource[]): void {
  const seen = new Set<string>();
  for (const resource of resources) {
    const url = URL.parse(resource.indicator);
    // RFC 8707 section 2: an absolute URI without a fragment.
    if (!url || resource.indicator.includes('#')) {
      throw new TypeError(
        `API resource indicator "${resource.indicator}" must be an absolute URI without a fragment (RFC 8707).`,
      );
    }
    if (seen.has(resource.indicator)) {
      throw new TypeError(`API resource indicator "${resource.indicator}" is listed twice.`);
    }
    seen.add(resource.indicator);
    if (!Number.isSafeInteger(resource.accessTokenTtlSec) || resource.accessTokenTtlSec <= 0) {
      throw new TypeError(
        `API resource "${resource.indicator}" needs a positive whole number of seconds as accessTokenTtlSec.`,
      );
    }
    for (const scope of resource.scopes) {
      // RFC 6749 section 3.3: scope tokens are printable ASCII without space, quote or backslash.
      if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope.name)) {
        throw new TypeError(
          `API resource "${resource.indicator}" has an invalid scope "${scope.name}".`,
        );
      }
    }
  }
}

export function findApiResource(
  resources: readonly ApiResource[],
  indicator: string,
): ApiResource | undefined {
  // Exact match, like Logto: `http://localhost:3001` does not find `http://localhost:3001/`.
  return resources.find((resource) => resource.indicator === indicator);
}

/** Every scope name any API resource defines (they share the provider's scope namespace). */
export function apiScopeNames(resources: readonly ApiResource[]): string[] {
  return [...new Set(resources.flatMap((resource) => resource.scopes.map((scope) => scope.name)))];
}
