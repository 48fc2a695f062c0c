import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

import { issuerDataDir, readOrCreate } from './data-files';

/**
 * Logto's default tenant signing key: ES384 on P-384 (docs/logto.md "Endpoints"). ID tokens
 * and JWT access tokens are both signed with it.
 */
export const SIGNING_ALG = 'ES384';

/** A private signing key as persisted: `kid`, `alg: "ES384"`, `use: "sig"`, `crv: "P-384"`. */
export interface SigningJwk extends JWK {
  kty: 'EC';
  crv: 'P-384';
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
  d: string;
  x: string;
  y: string;
}

/**
 * The JSON file holding the private signing keys, `{ "keys": [<private JWK>] }`. Tests of the MCP
 * server read it to forge tokens (expired, wrong audience) signed with the real key.
 */
export function signingKeysPath(dataDir: string): string {
  return join(issuerDataDir(dataDir), 'signing-keys.json');
}

async function generateSigningKeysFile(): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint as kid: stable, and calculateJwkThumbprint reads only the public members.
  const kid = await calculateJwkThumbprint(jwk);
  const key = { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
  return `${JSON.stringify({ keys: [key] }, null, 2)}\n`;
}

function isSigningJwk(value: unknown): value is SigningJwk {
  if (typeof value !== 'object' || value === null) return false;
  const key = value as Record<string, unknown>;
  return (
    key.kty === 'EC' &&
    key.crv === 'P-384' &&
    key.alg === SIGNING_ALG &&
    key.use === 'sig' &&
    typeof key.kid === 'string' &&
    typeof key.d === 'string' &&
    typeof key.x === 'string' &&
    typeof key.y === 'string'
  );
}

/** Loads the persisted keys, generating them on first start. */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningJwk[]> {
  const path = signingKeysPath(dataDir);
  const text = await readOrCreate(path, generateSigningKeysFile);
  let keys: unknown;
  try {
    keys = (JSON.parse(text) as { keys?: unknown }).keys;
  } catch {
    keys = undefined;
  }
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isSigningJwk)) {
    throw new Error(
      `The sandbox issuer's signing key file ${path} is not a valid { "keys": [ES384 private JWK] } document. ` +
        'Delete it to have a new key generated (tokens signed with the old key will stop verifying).',
    );
  }
  return keys;
}
