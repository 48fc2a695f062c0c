import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Profile } from '../../../preload/api';
import { useApi } from '../api/api-context';
import { describeError } from '../api/errors';
import { useFlows } from '../state/flow-store';
import { useProfiles } from '../state/profile-store';
import { useSessions } from '../state/session-store';
import { Callout, ErrorWithFix } from '../ui/Callout';
import { Field } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { RadioCards } from '../ui/RadioCards';
import { ClientSecretField } from './ClientSecretField';
import { ExtraParamsField } from './ExtraParamsField';
import {
  duplicateDraft,
  formFromProfile,
  inputFromForm,
  issuesByField,
  localIssues,
  sameInput,
  type FieldKey,
  type ProfileForm,
} from './profile-form';
import { PromptField } from './PromptField';
import { RedirectField } from './RedirectField';
import { ResourceField } from './ResourceField';
import { ScopesField } from './ScopesField';

type Issue = { path: string; message: string };

type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; at: number }
  | { state: 'invalid' }
  | { state: 'failed'; error: { message: string; fix?: string; code?: string } };

/**
 * Edits one profile. Everything typed stays until a save succeeds: a validation error, a failed
 * save, or leaving the tab loses nothing (unsaved edits wait in the profile store). Main validates as the person types (debounced),
 * and its messages appear next to the fields they name.
 */
export function ProfileEditor({ profile, isDraft }: { profile: Profile; isDraft: boolean }) {
  const api = useApi();
  const store = useProfiles();
  const flows = useFlows();
  const sessions = useSessions();
  const baseline = useMemo(() => formFromProfile(profile), [profile]);
  // Edits left unsaved when the editor last closed (another tab, another profile) come back.
  const kept = store.unsaved[profile.id];
  const [form, setForm] = useState<ProfileForm>(kept?.form ?? baseline);
  const [secret, setSecret] = useState(kept?.secret ?? '');
  const [remoteIssues, setRemoteIssues] = useState<Issue[]>([]);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const validation = useRef(0);
  const formRef = useRef<HTMLFormElement>(null);

  // After a refused save, take the person to the first field that needs a change.
  useEffect(() => {
    if (save.state !== 'invalid') return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [save.state]);

  const dirty = isDraft || secret !== '' || !sameInput(form, baseline);
  const { keepUnsaved } = store;
  useEffect(() => {
    keepUnsaved(profile.id, dirty ? { form, secret } : undefined);
  }, [keepUnsaved, profile.id, dirty, form, secret]);
  const issues = useMemo(() => [...localIssues(form), ...remoteIssues], [form, remoteIssues]);
  const byField = useMemo(() => issuesByField(issues, form), [issues, form]);
  const errorsOf = (key: FieldKey) => byField.get(key);

  // Validate as the person types, 300 ms after the last change; late answers are ignored.
  const input = useMemo(() => inputFromForm(form), [form]);
  useEffect(() => {
    const ticket = ++validation.current;
    const timer = setTimeout(() => {
      api.profiles.validate(input).then(
        (result) => {
          if (ticket === validation.current) setRemoteIssues(result.ok ? [] : result.issues);
        },
        () => {
          // Validation is a courtesy; Save reports what is wrong if main cannot be reached now.
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [api, input]);

  function update(change: Partial<ProfileForm>) {
    setForm((current) => ({ ...current, ...change }));
    if (save.state === 'saved' || save.state === 'failed') setSave({ state: 'idle' });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (localIssues(form).length > 0) {
      setSave({ state: 'invalid' });
      return;
    }
    setSave({ state: 'saving' });
    validation.current++;
    try {
      const toSave = { ...input, ...(secret !== '' && { hasClientSecret: true }) };
      const result = await api.profiles.save(toSave, secret === '' ? undefined : secret);
      if (!result.ok) {
        setRemoteIssues(result.issues);
        setSave({ state: 'invalid' });
        return;
      }
      setRemoteIssues([]);
      setSecret('');
      setForm(formFromProfile(result.profile));
      setSave({ state: 'saved', at: Date.now() });
      keepUnsaved(result.profile.id, undefined);
      // What an earlier run showed described the old settings (another server or client ID).
      flows.forget(result.profile.id);
      void sessions.reset(result.profile.id);
      await store.saved(result.profile);
    } catch (error) {
      setSave({ state: 'failed', error: describeError(error) });
    }
  }

  async function onDelete() {
    if (!confirmDelete) {
      setConfirmDelete(true);
      return;
    }
    try {
      await api.profiles.delete(profile.id);
      await store.reload();
    } catch (error) {
      setSave({ state: 'failed', error: describeError(error) });
      setConfirmDelete(false);
    }
  }

  const formErrors = errorsOf('form') ?? [];
  const issueCount = issues.length;

  return (
    <form
      ref={formRef}
      className="profile-editor"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
    >
      {profile.kind === 'sandbox' && (
        <Callout tone="info" title="A built-in sandbox profile">
          <p>
            It signs in at the bundled sandbox issuer. Change it freely to see what breaks; use{' '}
            <strong>Duplicate</strong> to keep the original.
          </p>
        </Callout>
      )}

      <section className="form-section" aria-labelledby="section-profile">
        <h3 id="section-profile">Profile</h3>
        <Field label="Name" errors={errorsOf('name')}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={form.name}
              maxLength={80}
              autoComplete="off"
              onChange={(event) => update({ name: event.target.value })}
            />
          )}
        </Field>
      </section>

      <section className="form-section" aria-labelledby="section-server">
        <h3 id="section-server">MCP server</h3>
        <Field
          label="Server URL"
          hint="The MCP endpoint, e.g. http://localhost:3001/mcp for the bundled server."
          errors={errorsOf('serverUrl')}
        >
          {(control) => (
            <input
              {...control}
              className="input input--mono"
              type="url"
              value={form.serverUrl}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => update({ serverUrl: event.target.value })}
            />
          )}
        </Field>
        <Field group label="Transport" errors={errorsOf('transport')}>
          {(control) => (
            <RadioCards
              name="transport"
              value={form.transport}
              describedBy={control['aria-describedby']}
              onChange={(transport) => update({ transport })}
              options={[
                {
                  value: 'streamable-http',
                  label: 'Streamable HTTP',
                  description: 'The current MCP transport (2025-03-26 and later).',
                },
                {
                  value: 'sse',
                  label: 'SSE',
                  description: 'The older HTTP+SSE transport (2024-11-05).',
                },
              ]}
            />
          )}
        </Field>
      </section>

      <section className="form-section" aria-labelledby="section-issuer">
        <h3 id="section-issuer">Issuer and app</h3>
        <Field
          label="Issuer"
          hint={
            <>
              e.g. <code>https://your-tenant.logto.app/oidc</code>. Leave empty to use the one the
              server’s metadata names.
            </>
          }
          errors={errorsOf('issuer')}
        >
          {(control) => (
            <input
              {...control}
              className="input input--mono"
              type="url"
              value={form.issuer}
              placeholder="https://your-tenant.logto.app/oidc"
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => update({ issuer: event.target.value })}
            />
          )}
        </Field>
        <Field
          label="Client ID"
          hint="The App ID from Logto Console › Applications."
          errors={errorsOf('clientId')}
        >
          {(control) => (
            <input
              {...control}
              className="input input--mono"
              value={form.clientId}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => update({ clientId: event.target.value })}
            />
          )}
        </Field>
        <ClientSecretField
          value={secret}
          stored={form.hasClientSecret}
          protection={store.info.secretProtection}
          onChange={(value) => {
            setSecret(value);
            if (save.state === 'saved') setSave({ state: 'idle' });
          }}
        />
      </section>

      <section className="form-section" aria-labelledby="section-request">
        <h3 id="section-request">What to ask for</h3>
        <ScopesField
          scopes={form.scopes}
          issuer={form.issuer || (profile.kind === 'sandbox' ? store.info.sandbox.issuer : '')}
          errors={errorsOf('scopes')}
          onChange={(scopes) => update({ scopes })}
        />
        <ResourceField
          mode={form.resourceMode}
          value={form.resourceValue}
          errors={errorsOf('resource')}
          onChange={(resourceMode, resourceValue) => update({ resourceMode, resourceValue })}
        />
        <PromptField
          prompt={form.prompt}
          errors={errorsOf('prompt')}
          onChange={(prompt) => update({ prompt })}
        />
        <Field label="Refresh tokens" errors={errorsOf('refreshTokens')}>
          {(control) => (
            <label className="check">
              <input
                {...control}
                type="checkbox"
                checked={form.refreshTokens}
                onChange={(event) => update({ refreshTokens: event.target.checked })}
              />
              <span>
                Ask for a refresh token{' '}
                <span className="muted">
                  (adds <code>offline_access</code> and <code>prompt=consent</code>, as Logto
                  requires)
                </span>
              </span>
            </label>
          )}
        </Field>
        <ExtraParamsField
          rows={form.extraParams}
          errorsOf={(row) => errorsOf(`param:${row.key}`)}
          onChange={(extraParams) => update({ extraParams })}
        />
      </section>

      <section className="form-section" aria-labelledby="section-redirect">
        <h3 id="section-redirect">Redirect URI</h3>
        <RedirectField
          mode={form.redirectMode}
          redirects={store.info.redirects}
          errors={errorsOf('redirectMode')}
          onChange={(redirectMode) => update({ redirectMode })}
          port={form.redirectPort}
          portErrors={errorsOf('redirectPort')}
          onPortChange={(redirectPort) => update({ redirectPort })}
        />
      </section>

      {formErrors.length > 0 && (
        <Callout tone="error" title="The profile has problems">
          <ul>
            {formErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </Callout>
      )}

      {save.state === 'failed' && (
        <ErrorWithFix error={save.error} title="The profile was not saved" role="alert" />
      )}
      <div className="form-actions" role="group" aria-label="Profile actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={save.state === 'saving' || !dirty}
        >
          {save.state === 'saving' ? 'Saving…' : isDraft ? 'Create profile' : 'Save profile'}
        </button>
        {!isDraft && (
          <button
            type="button"
            className="button button--secondary"
            disabled={!dirty}
            onClick={() => {
              setForm(baseline);
              setSecret('');
              setSave({ state: 'idle' });
            }}
          >
            Discard changes
          </button>
        )}
        {isDraft ? (
          <button type="button" className="button button--ghost" onClick={store.discardDraft}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => store.startDraft(duplicateDraft(profile))}
          >
            Duplicate
          </button>
        )}
        {!isDraft && profile.kind !== 'sandbox' && (
          <button
            type="button"
            className="button button--danger"
            onClick={() => void onDelete()}
            onBlur={() => setConfirmDelete(false)}
          >
            <Icon name="trash" size={18} />
            {confirmDelete ? 'Click again to delete' : 'Delete profile'}
          </button>
        )}
        <p className={`form-status form-status--${save.state}`} aria-live="polite">
          {save.state === 'saved' && (
            <>
              <Icon name="check" size={18} />
              <span>
                <strong>Saved</strong>
                {form.hasClientSecret ? ' (the client secret is stored)' : ''}
              </span>
            </>
          )}
          {save.state === 'invalid' && (
            <>
              <Icon name="error" size={18} />
              <span>
                <strong>Not saved</strong>:{' '}
                {issueCount === 1 ? 'one field needs' : `${issueCount} fields need`} a change (see
                the messages next to them). Nothing you typed was lost.
              </span>
            </>
          )}
          {dirty && save.state === 'idle' && issueCount > 0 && (
            <>{issueCount === 1 ? '1 problem' : `${issueCount} problems`} to fix before saving.</>
          )}
          {dirty && save.state === 'idle' && issueCount === 0 && !isDraft && <>Unsaved changes.</>}
        </p>
      </div>
    </form>
  );
}
