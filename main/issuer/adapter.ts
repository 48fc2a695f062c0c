import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';

/**
 * A per-issuer in-memory store for oidc-provider's models (sessions, grants, codes, tokens,
 * registered clients). oidc-provider's bundled memory adapter keeps one store per process, which
 * would let two issuers in one process (tests, a restart inside the app) see each other's state.
 * Nothing needs to survive a restart: a restart simply signs everyone out, like a fresh tenant.
 */

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/** Models whose records carry a grantId and are revoked together with their grant. */
const GRANT_BOUND = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** How many writes between two sweeps of expired records (keeps a long-running app's memory flat). */
const SWEEP_EVERY = 500;

class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  /** grantId => keys of the records issued under it */
  readonly byGrant = new Map<string, Set<string>>();
  /** secondary indexes: session uid / device user code => record key */
  readonly byUid = new Map<string, string>();
  readonly byUserCode = new Map<string, string>();
  private writes = 0;

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresAt: number): void {
    this.entries.set(key, { payload, expiresAt });
    this.writes += 1;
    if (this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [grantId, members] of this.byGrant) {
      for (const key of members) if (!this.entries.has(key)) members.delete(key);
      if (members.size === 0) this.byGrant.delete(grantId);
    }
    for (const index of [this.byUid, this.byUserCode]) {
      for (const [value, key] of index) if (!this.entries.has(key)) index.delete(value);
    }
  }
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: MemoryStore,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const key = this.key(id);
    // Clients have no expiry (expiresIn undefined); everything else is given in seconds.
    const expiresAt = expiresIn > 0 ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.store.set(key, payload, expiresAt);
    if (this.model === 'Session' && payload.uid) this.store.byUid.set(payload.uid, key);
    if (payload.userCode) this.store.byUserCode.set(payload.userCode, key);
    if (GRANT_BOUND.has(this.model) && payload.grantId) {
      const members = this.store.byGrant.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.store.byGrant.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const key = this.store.byUid.get(uid);
    return key === undefined ? undefined : this.store.get(key);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const key = this.store.byUserCode.get(userCode);
    return key === undefined ? undefined : this.store.get(key);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    const key = this.key(id);
    const payload = this.store.get(key);
    this.store.delete(key);
    if (payload?.uid) this.store.byUid.delete(payload.uid);
    if (payload?.userCode) this.store.byUserCode.delete(payload.userCode);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.store.byGrant.get(grantId) ?? []) this.store.delete(key);
    this.store.byGrant.delete(grantId);
  }
}

/**
 * Registered clients (only with dynamic registration on). Two Logto-like twists:
 * - an unknown client_id fails with invalid_client "invalid client <id>", Logto's wording, at
 *   every endpoint (Logto's own adapter throws exactly this from `find`);
 * - the registered `scope` is not kept: Logto apps have no per-client scope allow-list, while
 *   oidc-provider would refuse any scope the client did not list at registration (MCP clients
 *   register only the server's scope, then may ask for `openid profile ...` as well).
 */
class ClientAdapter extends MemoryAdapter {
  override async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const kept = { ...payload };
    delete kept.scope;
    await super.upsert(id, kept, expiresIn);
  }

  override async find(id: string): Promise<AdapterPayload | undefined> {
    const found = await super.find(id);
    if (!found) throw new errors.InvalidClient(`invalid client ${id}`);
    return found;
  }
}

export function createAdapterFactory(): (model: string) => Adapter {
  const store = new MemoryStore();
  return (model) =>
    model === 'Client' ? new ClientAdapter(model, store) : new MemoryAdapter(model, store);
}
