/**
 * The machine-to-machine app's credentials, kept in the secret store (never in a profile or the
 * renderer), one entry per Logto endpoint so a second setup does not ask again.
 */
import { z } from 'zod';
import type { SecretStore } from '../profiles/secret-store';
import type { M2mCredentials } from './management-api';

const CredentialsSchema = z.object({ appId: z.string().min(1), appSecret: z.string().min(1) });

export const m2mSecretKey = (endpoint: string): string => `tenant/${new URL(endpoint).origin}/m2m`;

export async function loadM2mCredentials(
  secrets: SecretStore,
  endpoint: string,
): Promise<M2mCredentials | undefined> {
  const raw = await secrets.get(m2mSecretKey(endpoint));
  if (!raw) return undefined;
  try {
    const parsed = CredentialsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveM2mCredentials(
  secrets: SecretStore,
  endpoint: string,
  credentials: M2mCredentials,
): Promise<void> {
  return secrets.set(m2mSecretKey(endpoint), JSON.stringify(CredentialsSchema.parse(credentials)));
}
