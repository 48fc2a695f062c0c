/**
 * A fetch that sees the raw traffic under the engine, before the trace's redaction does, and
 * collects every secret value that crosses the wire: codes, PKCE verifiers, refresh tokens and
 * client secrets in request bodies, bearer and Basic credentials, tokens in JSON answers. Tests
 * then assert that none of them appears where it must not.
 */
export function createWiretap() {
  const secrets = new Set<string>();
  const keep = (value: unknown) => {
    // Shorter values would match by accident anywhere; real secrets are far longer.
    if (typeof value === 'string' && value.length >= 8) secrets.add(value);
  };
  const fetchFn = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    if (body instanceof URLSearchParams || typeof body === 'string') {
      const form = new URLSearchParams(body);
      for (const key of ['code', 'code_verifier', 'refresh_token', 'token', 'client_secret']) {
        keep(form.get(key));
      }
    }
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    if (auth.startsWith('Bearer ')) keep(auth.slice(7));
    if (auth.startsWith('Basic ')) {
      keep(decodeURIComponent(Buffer.from(auth.slice(6), 'base64').toString().split(':')[1] ?? ''));
    }
    const response = await fetch(url, init);
    if (/json/.test(response.headers.get('content-type') ?? '')) {
      const json = (await response
        .clone()
        .json()
        .catch(() => ({}))) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token']) keep(json[key]);
    }
    return response;
  };
  return { secrets, keep, fetch: fetchFn };
}
