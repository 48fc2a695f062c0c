/**
 * A Logto Management API on loopback, built from Logto's documented API (openapi.logto.io):
 * client_credentials at /oidc/token for a machine-to-machine app and the Management API resource,
 * 21-character ids, `page`/`page_size` pagination with the `Total-Number` header, 422 for a
 * duplicate, 404 for an unknown id. Every request is recorded so tests can count what was created.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../../main/shared/listen';

type Row = Record<string, unknown> & { id: string };

export interface FakeLogto {
  endpoint: string;
  m2m: { appId: string; appSecret: string };
  /** The state, to seed and to inspect. */
  db: {
    applications: Row[];
    resources: Row[];
    scopes: Row[];
    roles: Row[];
    roleScopes: { roleId: string; scopeId: string }[];
    roleUsers: { roleId: string; userId: string }[];
    users: Row[];
    consent: Record<string, { resourceScopes: string[]; userScopes: string[] }>;
  };
  requests: { method: string; path: string; body?: unknown; authorization?: string }[];
  /** Runs before each write to /api: a test plays another admin changing the tenant meanwhile. */
  beforeWrite?: (method: string, path: string) => void;
  newId(): string;
  close(): Promise<void>;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const newId = () =>
  Array.from(randomBytes(21), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');

export async function startFakeLogto(
  opts: { managementResource?: string } = {},
): Promise<FakeLogto> {
  const m2m = { appId: newId(), appSecret: randomBytes(24).toString('base64url') };
  const tokens = new Set<string>();
  const db: FakeLogto['db'] = {
    applications: [],
    resources: [],
    scopes: [],
    roles: [],
    roleScopes: [],
    roleUsers: [],
    users: [],
    consent: {},
  };
  const requests: FakeLogto['requests'] = [];
  const resourceIndicator = opts.managementResource ?? 'https://default.logto.app/api';

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { code, message });
  const page = (res: ServerResponse, url: URL, rows: Row[]) => {
    const p = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const size = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? 20)));
    send(res, 200, rows.slice((p - 1) * size, p * size), { 'total-number': String(rows.length) });
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const body: unknown =
      raw && req.headers['content-type']?.includes('json') ? JSON.parse(raw) : raw;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(raw && { body }),
      ...(req.headers.authorization && { authorization: req.headers.authorization }),
    });

    if (url.pathname === '/oidc/token' && req.method === 'POST') {
      const form = new URLSearchParams(raw);
      const basic = Buffer.from(`${m2m.appId}:${m2m.appSecret}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) {
        return send(res, 401, {
          error: 'invalid_client',
          error_description: 'client authentication failed',
        });
      }
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('resource') !== resourceIndicator
      ) {
        return send(res, 400, {
          error: 'invalid_target',
          error_description: 'resource indicator is missing, or unknown',
        });
      }
      const token = randomBytes(32).toString('base64url');
      tokens.add(token);
      return send(res, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'all',
      });
    }
    if (!url.pathname.startsWith('/api/')) return fail(res, 404, 'router.not_found', 'Not found');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return fail(res, 401, 'auth.unauthorized', 'Unauthorized');

    if (req.method !== 'GET') fake.beforeWrite?.(req.method ?? '', url.pathname);
    const parts = url.pathname.slice('/api/'.length).split('/');
    const input = (body ?? {}) as Record<string, unknown>;
    const method = req.method;
    const find = (rows: Row[], id: string) => rows.find((r) => r.id === id);

    switch (
      `${method} ${parts[0]}${parts.length > 1 ? '/:id' : ''}${parts[2] ? `/${parts[2]}` : ''}`
    ) {
      case 'GET applications':
        return page(res, url, db.applications);
      case 'POST applications': {
        const app: Row = {
          id: newId(),
          name: input.name,
          description: input.description ?? null,
          type: input.type,
          isThirdParty: input.isThirdParty ?? false,
          secret: randomBytes(16).toString('hex'),
          oidcClientMetadata: input.oidcClientMetadata ?? {
            redirectUris: [],
            postLogoutRedirectUris: [],
          },
          customClientMetadata: {},
          createdAt: Date.now(),
        };
        db.applications.push(app);
        return send(res, 200, app);
      }
      case 'PATCH applications/:id': {
        const app = find(db.applications, parts[1]!);
        if (!app) return fail(res, 404, 'entity.not_exists_with_id', 'Not found');
        Object.assign(app, input);
        return send(res, 200, app);
      }
      case 'GET applications/:id/user-consent-scopes': {
        const consent = db.consent[parts[1]!] ?? { resourceScopes: [], userScopes: [] };
        const groups = db.resources
          .map((resource) => ({
            resource: { id: resource.id, name: resource.name, indicator: resource.indicator },
            scopes: db.scopes
              .filter((s) => s.resourceId === resource.id && consent.resourceScopes.includes(s.id))
              .map(({ id, name, description }) => ({ id, name, description })),
          }))
          .filter((g) => g.scopes.length);
        return send(res, 200, {
          organizationScopes: [],
          resourceScopes: groups,
          organizationResourceScopes: [],
          userScopes: consent.userScopes,
        });
      }
      case 'POST applications/:id/user-consent-scopes': {
        if (!find(db.applications, parts[1]!))
          return fail(res, 404, 'entity.not_exists_with_id', 'Not found');
        const consent = (db.consent[parts[1]!] ??= { resourceScopes: [], userScopes: [] });
        for (const id of (input.resourceScopes as string[] | undefined) ?? []) {
          if (!find(db.scopes, id))
            return fail(res, 422, 'entity.not_exists_with_id', 'Scope not found');
          if (!consent.resourceScopes.includes(id)) consent.resourceScopes.push(id);
        }
        for (const s of (input.userScopes as string[] | undefined) ?? []) {
          if (!consent.userScopes.includes(s)) consent.userScopes.push(s);
        }
        return send(res, 201);
      }
      case 'GET resources':
        return page(res, url, db.resources);
      case 'POST resources': {
        if (db.resources.some((r) => r.indicator === input.indicator)) {
          return fail(
            res,
            422,
            'resource.indicator_exists',
            'The resource indicator is already in use.',
          );
        }
        const resource: Row = {
          id: newId(),
          name: input.name,
          indicator: input.indicator,
          accessTokenTtl: 3600,
          isDefault: false,
        };
        db.resources.push(resource);
        return send(res, 201, resource);
      }
      case 'GET resources/:id/scopes':
        return page(
          res,
          url,
          db.scopes.filter((s) => s.resourceId === parts[1]),
        );
      case 'POST resources/:id/scopes': {
        if (!find(db.resources, parts[1]!))
          return fail(res, 404, 'entity.not_exists_with_id', 'Not found');
        if (db.scopes.some((s) => s.resourceId === parts[1] && s.name === input.name)) {
          return fail(res, 422, 'scope.name_exists', 'The scope name is already in use.');
        }
        const scope: Row = {
          id: newId(),
          resourceId: parts[1]!,
          name: input.name,
          description: input.description ?? null,
          createdAt: Date.now(),
        };
        db.scopes.push(scope);
        return send(res, 201, scope);
      }
      case 'GET roles':
        return page(res, url, db.roles);
      case 'POST roles': {
        if (db.roles.some((r) => r.name === input.name)) {
          return fail(res, 422, 'role.name_in_use', 'This role name is already in use.');
        }
        const role: Row = {
          id: newId(),
          name: input.name,
          description: input.description,
          type: input.type ?? 'User',
          isDefault: false,
        };
        db.roles.push(role);
        for (const scopeId of (input.scopeIds as string[] | undefined) ?? [])
          db.roleScopes.push({ roleId: role.id, scopeId });
        return send(res, 200, role);
      }
      case 'GET roles/:id/scopes':
        return page(
          res,
          url,
          db.scopes.filter((s) =>
            db.roleScopes.some((rs) => rs.roleId === parts[1] && rs.scopeId === s.id),
          ),
        );
      case 'POST roles/:id/scopes': {
        const ids = input.scopeIds as string[];
        if (
          ids.some((id) => db.roleScopes.some((rs) => rs.roleId === parts[1] && rs.scopeId === id))
        ) {
          return fail(res, 422, 'role.scope_exists', 'The scope is already linked to the role.');
        }
        for (const scopeId of ids) db.roleScopes.push({ roleId: parts[1]!, scopeId });
        return send(
          res,
          201,
          db.scopes.filter((s) => ids.includes(s.id)),
        );
      }
      case 'GET roles/:id/users':
        return page(
          res,
          url,
          db.users.filter((u) =>
            db.roleUsers.some((ru) => ru.roleId === parts[1] && ru.userId === u.id),
          ),
        );
      case 'POST roles/:id/users': {
        const ids = input.userIds as string[];
        if (
          ids.some((id) => db.roleUsers.some((ru) => ru.roleId === parts[1] && ru.userId === id))
        ) {
          return fail(res, 422, 'role.user_exists', 'The user already has the role.');
        }
        for (const userId of ids) db.roleUsers.push({ roleId: parts[1]!, userId });
        return send(res, 201);
      }
      case 'GET users': {
        const exact = url.searchParams.get('search.username');
        return page(res, url, exact ? db.users.filter((u) => u.username === exact) : db.users);
      }
      default:
        return fail(res, 404, 'router.not_found', `No route ${method} ${url.pathname}`);
    }
  };

  const server = await listen((req, res) => void handler(req, res), {
    host: '127.0.0.1',
    port: 0,
    label: 'fake Logto',
    howToChange: '',
  });
  const fake: FakeLogto = {
    endpoint: `http://127.0.0.1:${server.port}`,
    m2m,
    db,
    requests,
    newId,
    close: () => server.close(),
  };
  return fake;
}
