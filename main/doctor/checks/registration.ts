/**
 * How the app gets a client ID at this issuer: a pre-registered app (Logto), a Client ID Metadata
 * Document (MCP 2025-11-25), or Dynamic Client Registration (RFC 7591), and which the issuer offers.
 */
import type { Check, DoctorInput } from '../types';
import type { IssuerDocument } from './issuer';

export function offeredRegistration(doc: IssuerDocument): string {
  const offered = [
    'pre-registered apps',
    ...(typeof doc.registration_endpoint === 'string' ? ['Dynamic Client Registration'] : []),
    ...(doc.client_id_metadata_document_supported === true ? ['Client ID Metadata Documents'] : []),
  ];
  return offered.join(', ');
}

const isUrl = (value: string) => /^https?:\/\//i.test(value);

export function checkRegistration(input: DoctorInput, doc: IssuerDocument): Check {
  const base = {
    id: 'registration.method',
    group: 'registration',
    title: 'Client registration',
  } as const;
  const offered = `The issuer offers: ${offeredRegistration(doc)}.`;
  const nativeApp = `Create a Native app in Logto Console (Applications → Create application → Native), add the redirect URI http://127.0.0.1/callback, and use its App ID as the Client ID.`;
  if (input.clientId && isUrl(input.clientId)) {
    return doc.client_id_metadata_document_supported === true
      ? {
          ...base,
          status: 'pass',
          detail: `Client ID Metadata Document ${input.clientId}. ${offered}`,
        }
      : {
          ...base,
          status: 'fail',
          detail: `The client ID is a metadata document URL. ${offered}`,
          cause: 'The issuer does not accept Client ID Metadata Documents.',
          fix: nativeApp,
          specRef: 'MCP Authorization 2025-11-25 §Client ID Metadata Documents',
        };
  }
  if (input.clientId) {
    return {
      ...base,
      status: 'pass',
      detail: `Pre-registered client ${input.clientId}. ${offered}`,
    };
  }
  if (typeof doc.registration_endpoint === 'string') {
    return {
      ...base,
      status: 'warn',
      detail: `No client ID: the app will register itself at ${doc.registration_endpoint}. ${offered}`,
      cause: 'The sign-in request itself cannot be checked without a client ID.',
      specRef: 'RFC 7591',
    };
  }
  return {
    ...base,
    status: 'fail',
    detail: `No client ID. ${offered}`,
    cause:
      'The issuer has no Dynamic Client Registration (like Logto), so the app needs an App ID.',
    fix: nativeApp,
  };
}
