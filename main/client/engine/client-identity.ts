/**
 * Step 4: which client ID the app presents. A pre-registered ID (a Logto app), a Client ID
 * Metadata Document URL (MCP 2025-11-25 prefers it), or Dynamic Client Registration where the
 * issuer offers it; otherwise a clear error saying which app to create and which redirect URI
 * to register.
 */
import { registerClient, selectClientAuthMethod } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { uriToRegister } from '../redirect/uri-to-register';
import { FLOW_ERROR } from './error-codes';
import { FlowStepError, type Finding } from './notes';

export interface ClientIdentity {
  information: OAuthClientInformationMixed;
  how: 'pre-registered' | 'metadata-document' | 'registered';
  findings: Finding[];
}

export function clientMetadataFor(
  redirectUri: string,
  scope: string,
  confidential: boolean,
): OAuthClientMetadata {
  return {
    client_name: 'MCP Auth Desktop',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
    ...(scope && { scope }),
  };
}

/** What to register at a Native app, said so a person knows why the port is missing. */
function registrableRedirectUri(redirectUri: string): string {
  const uri = uriToRegister(redirectUri);
  return uri === redirectUri ? uri : `${uri} (no port: a Native app matches it on any port)`;
}

const isHttpsUrl = (value: string) => {
  const url = URL.parse(value);
  return url?.protocol === 'https:' && url.pathname !== '/';
};

export async function identifyClient(opts: {
  clientId?: string;
  clientSecret?: string;
  /** This app's Client ID Metadata Document, used where the issuer accepts one and no ID is set. */
  clientMetadataUrl?: string;
  metadata: AuthorizationServerMetadata;
  authorizationServerUrl: string;
  redirectUri: string;
  scope: string;
  fetchFn: FetchLike;
}): Promise<ClientIdentity> {
  const { metadata } = opts;
  const findings: Finding[] = [];
  if (opts.clientId && isHttpsUrl(opts.clientId)) {
    if (metadata.client_id_metadata_document_supported !== true) {
      throw new FlowStepError(
        `The client ID is a metadata document URL, but the issuer does not accept Client ID Metadata Documents (client_id_metadata_document_supported is not true).`,
        'Use a pre-registered client ID (a Logto app’s App ID) instead.',
        FLOW_ERROR.cimdUnsupported,
      );
    }
    findings.push({
      level: 'info',
      message: `Client ID Metadata Document: the issuer will fetch ${opts.clientId} to learn about this app.`,
      specRef: 'MCP Authorization 2025-11-25 §Client ID Metadata Documents',
    });
    return { information: { client_id: opts.clientId }, how: 'metadata-document', findings };
  }
  if (opts.clientId) {
    const information: OAuthClientInformationMixed = {
      client_id: opts.clientId,
      ...(opts.clientSecret && { client_secret: opts.clientSecret }),
    };
    const method = selectClientAuthMethod(
      information,
      metadata.token_endpoint_auth_methods_supported ?? [],
    );
    findings.push({
      level: 'info',
      message: opts.clientSecret
        ? `Pre-registered confidential client ${opts.clientId}; token endpoint authentication: ${method} (from the issuer’s token_endpoint_auth_methods_supported).`
        : `Pre-registered public client ${opts.clientId}: no secret, PKCE proves the sign-in.`,
    });
    return { information, how: 'pre-registered', findings };
  }
  if (opts.clientMetadataUrl && metadata.client_id_metadata_document_supported === true) {
    findings.push({
      level: 'info',
      message: `The issuer accepts Client ID Metadata Documents: client_id is ${opts.clientMetadataUrl}.`,
      specRef: 'MCP Authorization 2025-11-25 §Client ID Metadata Documents',
    });
    return {
      information: { client_id: opts.clientMetadataUrl },
      how: 'metadata-document',
      findings,
    };
  }
  if (!metadata.registration_endpoint) {
    throw new FlowStepError(
      'No client ID is configured and the issuer does not offer Dynamic Client Registration (like Logto).',
      `Create a Native app in Logto Console (Applications → Create application → Native), add the redirect URI ${registrableRedirectUri(opts.redirectUri)}, and paste its App ID into Client ID.`,
      FLOW_ERROR.clientIdRequired,
    );
  }
  try {
    const registered = await registerClient(opts.authorizationServerUrl, {
      metadata,
      clientMetadata: clientMetadataFor(opts.redirectUri, opts.scope, false),
      ...(opts.scope && { scope: opts.scope }),
      fetchFn: opts.fetchFn,
    });
    findings.push({
      level: 'info',
      message: `Registered as client ${registered.client_id}.`,
      specRef: 'RFC 7591 §3.2.1',
    });
    return { information: registered, how: 'registered', findings };
  } catch (error) {
    throw new FlowStepError(
      `Dynamic Client Registration at ${metadata.registration_endpoint} failed: ${(error as Error).message}`,
      'Configure a pre-registered client ID instead.',
      FLOW_ERROR.registrationFailed,
      { cause: error },
    );
  }
}
