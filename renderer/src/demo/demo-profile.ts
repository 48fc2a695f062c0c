/**
 * A demo run signs in with profiles of its own, named `demo-<scenario>-<part>` by main's demo
 * runner (DEMO_PROFILE_PREFIX in main/report/demo-runner.ts; the renderer cannot import main).
 * Such a run does only what its scenario says: the app adds nothing to it on its own.
 */
export const isDemoProfile = (profileId: string): boolean => profileId.startsWith('demo-');
