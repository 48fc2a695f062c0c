/**
 * Where profiles live between runs. The interface is small so the Electron host, the web host and
 * tests can each pick a backing; every profile read back is validated again, and a damaged file
 * never reaches the UI as an exception: it is set aside, the store starts empty, and the reason
 * is reported as a plain sentence.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import { z } from 'zod';
import { copyAside, errorText, isErrnoException, moveAside, SerialQueue } from './files';
import { parseProfile, validateProfileInput, type Profile } from './schema';

export interface ProfileStore {
  list(): Promise<Profile[]>;
  get(id: string): Promise<Profile | undefined>;
  /** Adds the profile, or replaces the one with the same id (keeping its place in the list). */
  save(profile: Profile): Promise<void>;
  /** Removes the profile; removing an id that is not there is not an error. */
  remove(id: string): Promise<void>;
}

export interface ProfileStoreLoad {
  profiles: Profile[];
  /** Sentences for the user about what was wrong with the stored data and what was done about it. */
  problems: string[];
}

export class ProfileStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProfileStoreError';
  }
}

/** What the profiles file holds, as conf (and electron-store, built on it) reads and writes it. */
export interface ProfilesFile extends Record<string, unknown> {
  profiles?: unknown[];
  /** Only in files written before the store used conf (format 1); removed by the migration. */
  version?: 1;
}

/**
 * The format of the profiles file, as conf's `projectVersion`: migrations are keyed by it, not by
 * the app's version, so the desktop app, `web` and the CLI (sharing one data folder, see
 * main/shared/data-dir.ts) agree on it. Raise it with a migration when the format changes.
 */
export const PROFILES_FORMAT = '2.0.0';

const MIGRATIONS: NonNullable<ConfOptions<ProfilesFile>['migrations']> = {
  // Format 1, `{ "version": 1, "profiles": [...] }`, was written by the store before conf.
  '2.0.0': (store) => store.delete('version'),
};

/**
 * Opens a store file (profiles, server settings) as conf does; the Electron host passes one that
 * opens it with electron-store.
 */
export type OpenStoreFile = <T extends Record<string, unknown>>(options: ConfOptions<T>) => Conf<T>;
export const openWithConf: OpenStoreFile = (options) => new Conf(options);

/** conf's options for the profiles file at `file`: the same for every host. */
export function profilesFileOptions(file: string): ConfOptions<ProfilesFile> {
  return {
    cwd: dirname(file),
    configName: basename(file, extname(file)),
    fileExtension: extname(file).slice(1),
    projectVersion: PROFILES_FORMAT,
    migrations: MIGRATIONS,
    // Each profile is validated with zod on every read (one bad entry is dropped, not the file);
    // this only guards the file's outline, and so every write.
    schema: {
      profiles: { type: 'array' },
      version: { const: 1 },
    },
    // A damaged file must not be silently emptied: we back it up and say so (read() below).
    clearInvalidConfig: false,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
  };
}

const StoreFileSchema = z.object({
  profiles: z.array(z.unknown()).optional(),
  version: z.literal(1).optional(),
  __internal__: z.object({ migrations: z.object({ version: z.string() }).optional() }).optional(),
});

/** a > b for x.y.z versions. */
function newerFormat(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map((n) => Number.parseInt(n, 10) || 0));
  for (let i = 0; i < 3; i++) if ((x![i] ?? 0) !== (y![i] ?? 0)) return (x![i] ?? 0) > (y![i] ?? 0);
  return false;
}

interface FileState extends ProfileStoreLoad {
  /** False when the file exists but could not be read: writing would destroy what we could not see. */
  writable: boolean;
  readError?: string;
}

/**
 * All profiles in one JSON file, kept with conf (electron-store in the desktop app): a schema for
 * its outline, migrations between formats, atomic writes, owner-only permissions. The file is
 * read again at every operation, so hosts sharing the data folder see each other's changes;
 * operations run one at a time, so concurrent saves never lose each other's update.
 */
export class FileProfileStore implements ProfileStore {
  private readonly queue = new SerialQueue();
  private readonly onProblem: (message: string) => void;
  private readonly open: OpenStoreFile;
  private store: Conf<ProfilesFile> | undefined;

  constructor(
    readonly file: string,
    opts: { onProblem?: (message: string) => void; open?: OpenStoreFile } = {},
  ) {
    this.onProblem = opts.onProblem ?? (() => undefined);
    this.open = opts.open ?? openWithConf;
  }

  /** Reads the file, repairing it if needed; the problems found are also passed to `onProblem`. */
  load(): Promise<ProfileStoreLoad> {
    return this.queue.run(async () => {
      const { profiles, problems } = await this.read();
      return { profiles, problems };
    });
  }

  async list(): Promise<Profile[]> {
    return (await this.load()).profiles;
  }

  async get(id: string): Promise<Profile | undefined> {
    return (await this.list()).find((profile) => profile.id === id);
  }

  async save(profile: Profile): Promise<void> {
    const valid = parseProfile(profile);
    await this.queue.run(async () => {
      const profiles = await this.readForWrite();
      const index = profiles.findIndex((existing) => existing.id === valid.id);
      if (index === -1) profiles.push(valid);
      else profiles[index] = valid;
      this.write(profiles);
    });
  }

  remove(id: string): Promise<void> {
    return this.queue.run(async () => {
      const profiles = await this.readForWrite();
      const remaining = profiles.filter((profile) => profile.id !== id);
      if (remaining.length !== profiles.length) this.write(remaining);
    });
  }

  private async readForWrite(): Promise<Profile[]> {
    const state = await this.read();
    if (!state.writable) {
      throw new ProfileStoreError(
        `Profiles cannot be saved: ${this.file} exists but could not be read (${state.readError}). ` +
          'Check its permissions, then try again.',
      );
    }
    return state.profiles;
  }

  /** conf, opened once the file is known to be sound (opening runs the migrations, which write). */
  private opened(): Conf<ProfilesFile> {
    this.store ??= this.open(profilesFileOptions(this.file));
    return this.store;
  }

  private write(profiles: Profile[]): void {
    try {
      this.opened().set('profiles', profiles);
    } catch (error) {
      throw new ProfileStoreError(
        `Profiles could not be saved to ${this.file} (${errorText(error)}). ` +
          'Check that the folder exists and is writable, then try again.',
        { cause: error },
      );
    }
  }

  private async read(): Promise<FileState> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if (isErrnoException(error, 'ENOENT')) return { profiles: [], problems: [], writable: true };
      const readError = errorText(error);
      return this.report({
        profiles: [],
        problems: [
          `Saved profiles could not be read from ${this.file} (${readError}); showing none. ` +
            'Check the file permissions, then restart the app.',
        ],
        writable: false,
        readError,
      });
    }

    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return this.reset(`it is not valid JSON (${errorText(error)})`);
    }
    const shape = StoreFileSchema.safeParse(data);
    const legacy = (data as { version?: unknown } | null)?.version;
    const format = shape.data?.__internal__?.migrations?.version;
    if (typeof legacy === 'number' && legacy > 1) {
      return this.reset(`it was written by a newer version of MCP Auth Desktop (format ${legacy})`);
    }
    if (format && newerFormat(format, PROFILES_FORMAT)) {
      return this.reset(`it was written by a newer version of MCP Auth Desktop (format ${format})`);
    }
    if (!shape.success) {
      return this.reset('it is not a profiles file (expected {"profiles": [...]})');
    }
    const profiles: Profile[] = [];
    const dropped: string[] = [];
    (shape.data.profiles ?? []).forEach((entry, index) => {
      const label = describeEntry(entry, index);
      const result = validateProfileInput(entry);
      if (!result.ok) {
        const first = result.issues
          .slice(0, 3)
          .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
          .join('; ');
        dropped.push(`${label} (${first})`);
      } else if (profiles.some((profile) => profile.id === result.profile.id)) {
        dropped.push(`${label} (a second profile with id "${result.profile.id}")`);
      } else {
        profiles.push(result.profile);
      }
    });
    if (dropped.length === 0) {
      try {
        this.opened(); // brings a format-1 file up to date
      } catch (error) {
        return this.reset(`it could not be opened (${errorText(error)})`);
      }
      return { profiles, problems: [], writable: true };
    }

    // Keep the original bytes, then rewrite the file with what is still valid so the same
    // warning does not come back on every read.
    let where: string;
    try {
      const backup = await copyAside(this.file);
      this.opened().set('profiles', profiles);
      where = `The original file was kept as ${backup}.`;
    } catch (error) {
      where = `The file could not be repaired (${errorText(error)}); it was left as it is.`;
    }
    return this.report({
      profiles,
      problems: dropped.map(
        (entry) => `A saved profile was dropped because it is not valid: ${entry}. ${where}`,
      ),
      writable: true,
    });
  }

  private async reset(reason: string): Promise<FileState> {
    try {
      const backup = await moveAside(this.file);
      return this.report({
        profiles: [],
        problems: [
          `The profiles file ${this.file} could not be used because ${reason}. It was moved to ` +
            `${backup} and the app starts with no saved profiles; copy entries back from the backup if you need them.`,
        ],
        writable: true,
      });
    } catch (error) {
      const readError = errorText(error);
      return this.report({
        profiles: [],
        problems: [
          `The profiles file ${this.file} could not be used because ${reason}, and it could not be ` +
            `moved aside (${readError}). Move or delete it by hand, then restart the app.`,
        ],
        writable: false,
        readError,
      });
    }
  }

  private report(state: FileState): FileState {
    for (const problem of state.problems) this.onProblem(problem);
    return state;
  }
}

function describeEntry(entry: unknown, index: number): string {
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== ''
    ? `#${index + 1} "${name.trim().slice(0, 80)}"`
    : `#${index + 1}`;
}

/** Profiles in memory: for tests, and for hosts that keep nothing on disk. */
export class MemoryProfileStore implements ProfileStore {
  private readonly profiles: Profile[];

  constructor(initial: readonly unknown[] = []) {
    this.profiles = initial.map((profile) => parseProfile(profile));
  }

  async list(): Promise<Profile[]> {
    return structuredClone(this.profiles);
  }

  async get(id: string): Promise<Profile | undefined> {
    const found = this.profiles.find((profile) => profile.id === id);
    return found && structuredClone(found);
  }

  async save(profile: Profile): Promise<void> {
    const valid = parseProfile(profile);
    const index = this.profiles.findIndex((existing) => existing.id === valid.id);
    if (index === -1) this.profiles.push(valid);
    else this.profiles[index] = valid;
  }

  async remove(id: string): Promise<void> {
    const index = this.profiles.findIndex((profile) => profile.id === id);
    if (index !== -1) this.profiles.splice(index, 1);
  }
}
