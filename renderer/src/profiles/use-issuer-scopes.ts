import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';

type Offered =
  | { state: 'idle'; scopes: string[] }
  | { state: 'loading'; scopes: string[] }
  | { state: 'done'; scopes: string[] }
  | { state: 'error'; scopes: string[]; error: string };

const cache = new Map<string, string[]>();

function looksLikeUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The issuer's scopes_supported (through main), read once the issuer looks like a URL. */
export function useIssuerScopes(issuer: string): Offered {
  const api = useApi();
  const trimmed = issuer.trim();
  const [result, setResult] = useState<Offered & { issuer: string }>({
    state: 'idle',
    scopes: [],
    issuer: '',
  });

  useEffect(() => {
    if (!looksLikeUrl(trimmed)) return;
    const cached = cache.get(trimmed);
    if (cached) {
      setResult({ state: 'done', scopes: cached, issuer: trimmed });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setResult({ state: 'loading', scopes: [], issuer: trimmed });
      api.profiles.discoverScopes(trimmed).then(
        (scopes) => {
          cache.set(trimmed, scopes);
          if (current) setResult({ state: 'done', scopes, issuer: trimmed });
        },
        (error: unknown) => {
          if (current) {
            setResult({
              state: 'error',
              scopes: [],
              error: describeError(error).message,
              issuer: trimmed,
            });
          }
        },
      );
    }, 500);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, trimmed]);

  if (!looksLikeUrl(trimmed) || result.issuer !== trimmed) return { state: 'idle', scopes: [] };
  return result;
}
