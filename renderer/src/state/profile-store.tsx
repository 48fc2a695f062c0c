import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { AppInfo, Profile, ProfileView } from '../../../preload/api';
import { useApi, useAppEvents, useOnReconnect } from '../api/api-context';
import { describeError } from '../api/errors';
import type { ProfileForm } from '../profiles/profile-form';

/** What the person typed in a profile's editor and has not saved: kept when the editor closes. */
export interface UnsavedEdit {
  form: ProfileForm;
  /** Typed, not yet saved; in memory only, gone with the page (never stored or sent elsewhere). */
  secret: string;
}

const SELECTED_KEY = 'mcp-auth-desktop:selected-profile';
export const SANDBOX_FIRST_PARTY = 'sandbox-first-party';

interface ProfileStore {
  info: AppInfo;
  profiles: ProfileView[];
  /** A new profile being filled in, not saved yet. */
  draft: Profile | undefined;
  selectedId: string | undefined;
  selected: ProfileView | undefined;
  loadError?: string;
  select(id: string): void;
  reload(): Promise<ProfileView[]>;
  startDraft(profile: Profile): void;
  /** After a save: forget the draft and show the saved profile. */
  saved(profile: Profile): Promise<void>;
  discardDraft(): void;
  /** Unsaved edits by profile id, so switching tabs or profiles loses nothing typed. */
  unsaved: Record<string, UnsavedEdit>;
  keepUnsaved(profileId: string, edit: UnsavedEdit | undefined): void;
}

const ProfileContext = createContext<ProfileStore | null>(null);

function rememberSelection(id: string): void {
  try {
    localStorage.setItem(SELECTED_KEY, id);
  } catch {
    // Not remembered across reloads; harmless.
  }
}

function initialSelection(profiles: ProfileView[]): string | undefined {
  let remembered: string | null;
  try {
    remembered = localStorage.getItem(SELECTED_KEY);
  } catch {
    remembered = null;
  }
  const ids = profiles.map((view) => view.profile.id);
  if (remembered && ids.includes(remembered)) return remembered;
  if (ids.includes(SANDBOX_FIRST_PARTY)) return SANDBOX_FIRST_PARTY;
  return (profiles.find((view) => view.profile.kind === 'sandbox') ?? profiles[0])?.profile.id;
}

export function ProfileProvider(props: {
  info: AppInfo;
  initialProfiles: ProfileView[];
  children: ReactNode;
}) {
  const api = useApi();
  const [profiles, setProfiles] = useState(props.initialProfiles);
  const [selectedId, setSelectedId] = useState(() => initialSelection(props.initialProfiles));
  const [draft, setDraft] = useState<Profile>();
  const [loadError, setLoadError] = useState<string>();
  const [unsaved, setUnsaved] = useState<Record<string, UnsavedEdit>>({});
  const keepUnsaved = useCallback((profileId: string, edit: UnsavedEdit | undefined) => {
    setUnsaved((current) => {
      if (!edit && !(profileId in current)) return current;
      const next = { ...current };
      if (edit) next[profileId] = edit;
      else delete next[profileId];
      return next;
    });
  }, []);

  const reload = useCallback(async () => {
    try {
      const next = await api.profiles.list();
      setProfiles(next);
      setLoadError(undefined);
      return next;
    } catch (error) {
      setLoadError(describeError(error).message);
      return [];
    }
  }, [api]);

  useAppEvents((event) => {
    if (event.type === 'profiles-changed') void reload();
    if (event.type === 'flow' && ['signed-in', 'failed'].includes(event.flow.status)) void reload();
  });
  useOnReconnect(() => void reload());

  // A selection that disappeared (deleted elsewhere) falls back to the sandbox.
  useEffect(() => {
    if (draft && selectedId === draft.id) return;
    if (selectedId && profiles.some((view) => view.profile.id === selectedId)) return;
    setSelectedId(initialSelection(profiles));
  }, [profiles, selectedId, draft]);

  const select = useCallback((id: string) => {
    setSelectedId(id);
    rememberSelection(id);
  }, []);

  const startDraft = useCallback((profile: Profile) => {
    setDraft(profile);
    setSelectedId(profile.id);
  }, []);

  const discardDraft = useCallback(() => {
    // The effect above then selects the sandbox profile again.
    setDraft(undefined);
  }, []);

  const saved = useCallback(
    async (profile: Profile) => {
      await reload();
      setDraft((current) => (current?.id === profile.id ? undefined : current));
      select(profile.id);
    },
    [reload, select],
  );

  const value = useMemo<ProfileStore>(() => {
    const selected =
      profiles.find((view) => view.profile.id === selectedId) ??
      (draft && draft.id === selectedId ? { profile: draft, signedIn: false } : undefined);
    return {
      info: props.info,
      profiles,
      draft,
      selectedId,
      selected,
      select,
      reload,
      startDraft,
      saved,
      discardDraft,
      unsaved,
      keepUnsaved,
      ...(loadError !== undefined && { loadError }),
    };
  }, [
    unsaved,
    keepUnsaved,
    props.info,
    profiles,
    draft,
    selectedId,
    select,
    reload,
    startDraft,
    saved,
    discardDraft,
    loadError,
  ]);

  return <ProfileContext.Provider value={value}>{props.children}</ProfileContext.Provider>;
}

export function useProfiles(): ProfileStore {
  const value = useContext(ProfileContext);
  if (!value) throw new Error('useProfiles() needs a <ProfileProvider> above it');
  return value;
}

/** Whether `id` is the unsaved draft. */
export function useIsDraft(id: string | undefined): boolean {
  const { draft } = useProfiles();
  return draft !== undefined && draft.id === id;
}
