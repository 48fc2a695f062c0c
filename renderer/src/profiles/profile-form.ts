/**
 * The profile editor's state: everything the person typed, kept as typed (strings, rows, chips),
 * and the conversion to the profile input main validates. Nothing here decides validity: main's
 * schema does (api.profiles.validate), so the form and the command line never disagree.
 */
import type { Profile } from '../../../preload/api';

export const PROMPT_OPTIONS = [
  { value: 'login', label: 'login', hint: 'always show the sign-in page' },
  { value: 'consent', label: 'consent', hint: 'always show the consent page' },
  { value: 'select_account', label: 'select_account', hint: 'let the user pick an account' },
  { value: 'none', label: 'none', hint: 'never show a page; fail if a sign-in is needed' },
] as const;

export type ResourceMode = Profile['resource']['mode'];

export interface ParamRow {
  /** Stable React key: rows are edited in place. */
  key: string;
  name: string;
  value: string;
}

export interface ProfileForm {
  id: string;
  kind: Profile['kind'];
  name: string;
  serverUrl: string;
  transport: Profile['transport'];
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string[];
  resourceMode: ResourceMode;
  resourceValue: string;
  prompt: string[];
  extraParams: ParamRow[];
  redirectMode: Profile['redirectMode'];
  /** A fixed loopback port, as typed ("" = any free port). */
  redirectPort: string;
  refreshTokens: boolean;
}

let rowCounter = 0;
export const newRow = (name = '', value = ''): ParamRow => ({
  key: `row-${++rowCounter}`,
  name,
  value,
});

export function formFromProfile(profile: Profile): ProfileForm {
  return {
    id: profile.id,
    kind: profile.kind,
    name: profile.name,
    serverUrl: profile.serverUrl,
    transport: profile.transport,
    issuer: profile.issuer ?? '',
    clientId: profile.clientId ?? '',
    hasClientSecret: profile.hasClientSecret,
    scopes: [...profile.scopes],
    resourceMode: profile.resource.mode,
    resourceValue: profile.resource.mode === 'custom' ? profile.resource.value : '',
    prompt: (profile.prompt ?? '').split(' ').filter((token) => token !== ''),
    extraParams: Object.entries(profile.extraParams).map(([name, value]) => newRow(name, value)),
    redirectMode: profile.redirectMode,
    redirectPort: profile.redirectPort === undefined ? '' : String(profile.redirectPort),
    refreshTokens: profile.refreshTokens,
  };
}

/** Problems the form finds before main sees the input: rows that cannot become a record. */
export function localIssues(form: ProfileForm): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const row of form.extraParams) {
    const name = row.name.trim();
    if (name === '' && row.value.trim() !== '') {
      issues.push({
        path: `extraParams.#${row.key}`,
        message: 'Give this parameter a name, e.g. login_hint, or remove the row',
      });
    } else if (name !== '' && seen.has(name)) {
      issues.push({
        path: `extraParams.#${row.key}`,
        message: `"${name}" is listed twice; keep one row per parameter`,
      });
    }
    if (name !== '') seen.add(name);
  }
  return issues;
}

/** What the form means as a profile input (blank optional fields are left out). */
export function inputFromForm(form: ProfileForm): Record<string, unknown> {
  const extraParams: Record<string, string> = {};
  for (const row of form.extraParams) {
    const name = row.name.trim();
    if (name !== '' && !(name in extraParams)) extraParams[name] = row.value;
  }
  return {
    id: form.id,
    kind: form.kind,
    name: form.name,
    serverUrl: form.serverUrl,
    transport: form.transport,
    ...(form.issuer.trim() !== '' && { issuer: form.issuer }),
    ...(form.clientId.trim() !== '' && { clientId: form.clientId }),
    hasClientSecret: form.hasClientSecret,
    scopes: form.scopes,
    resource:
      form.resourceMode === 'custom'
        ? { mode: 'custom', value: form.resourceValue }
        : { mode: form.resourceMode },
    ...(form.prompt.length > 0 && { prompt: form.prompt.join(' ') }),
    extraParams,
    redirectMode: form.redirectMode,
    // Main's schema turns digits into a number and says what is wrong with anything else.
    ...(form.redirectPort.trim() !== '' && { redirectPort: form.redirectPort.trim() }),
    refreshTokens: form.refreshTokens,
  };
}

export type FieldKey =
  | 'form'
  | 'name'
  | 'serverUrl'
  | 'transport'
  | 'issuer'
  | 'clientId'
  | 'scopes'
  | 'resource'
  | 'prompt'
  | 'redirectMode'
  | 'redirectPort'
  | 'refreshTokens'
  | `param:${string}`;

/**
 * Sorts issues to the fields they belong to. Extra parameter issues name the parameter
 * ("extraParams.client_id"); they go to the row(s) with that name.
 */
export function issuesByField(
  issues: readonly { path: string; message: string }[],
  form: ProfileForm,
): Map<FieldKey, string[]> {
  const byField = new Map<FieldKey, string[]>();
  const add = (key: FieldKey, message: string) => {
    const list = byField.get(key) ?? [];
    if (!list.includes(message)) list.push(message);
    byField.set(key, list);
  };
  for (const issue of issues) {
    const [head = '', ...rest] = issue.path.split('.');
    const tail = rest.join('.');
    if (head === 'extraParams' && tail !== '') {
      if (tail.startsWith('#')) {
        add(`param:${tail.slice(1)}`, issue.message);
        continue;
      }
      const rows = form.extraParams.filter((row) => row.name.trim() === tail);
      if (rows.length > 0) {
        for (const row of rows) add(`param:${row.key}`, issue.message);
        continue;
      }
      add('form', issue.message);
      continue;
    }
    switch (head) {
      case 'name':
      case 'serverUrl':
      case 'transport':
      case 'issuer':
      case 'clientId':
      case 'scopes':
      case 'resource':
      case 'prompt':
      case 'redirectMode':
      case 'redirectPort':
      case 'refreshTokens':
        add(head, issue.message);
        break;
      case 'extraParams':
        add('form', issue.message);
        break;
      default:
        add('form', issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return byField;
}

export function sameInput(a: ProfileForm, b: ProfileForm): boolean {
  return JSON.stringify(inputFromForm(a)) === JSON.stringify(inputFromForm(b));
}

/** A copy of `profile` to change freely (the secret is not copied: main never gives it out). */
export function duplicateDraft(profile: Profile): Profile {
  return {
    ...profile,
    id: `p-${crypto.randomUUID()}`,
    name: `Copy of ${profile.name}`.slice(0, 80),
    kind: 'custom',
    hasClientSecret: false,
  };
}
