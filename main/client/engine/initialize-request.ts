/**
 * The one hand-built MCP `initialize` request the app sends outside an SDK session: the probe
 * without a token, and the checks after sign-out that ask the server what it says to an old
 * access token. A POST for the Streamable HTTP transport (MCP Lifecycle §Initialization).
 */

/** The protocol version these one-off requests announce (one the SDK servers all accept). */
const PROTOCOL_VERSION = '2025-06-18';

/** The request to POST to an MCP server; with `accessToken`, as `Authorization: Bearer`. */
export function initializeRequest(clientName: string, accessToken?: string): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(accessToken && { authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: clientName, version: '0' },
      },
    }),
  };
}
