/**
 * The views behind the tabs other than Connection, loaded when first opened: the first screen then
 * needs only the connection view's code, and the rest arrives while the person reads it.
 */
import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';
import type { ProfileEditor as EditorType } from '../profiles/ProfileEditor';
import type { ToolsView as ToolsType } from '../tools/ToolsView';
import { Spinner } from '../ui/Icon';

function deferred<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const View = lazy(async () => ({ default: await load() }));
  return function DeferredView(props: P) {
    return (
      <Suspense fallback={<Spinner />}>
        <View {...props} />
      </Suspense>
    );
  };
}

export const ProfileEditor = deferred<ComponentProps<typeof EditorType>>(
  async () => (await import('../profiles/ProfileEditor')).ProfileEditor,
);
export const ToolsView = deferred<ComponentProps<typeof ToolsType>>(
  async () => (await import('../tools/ToolsView')).ToolsView,
);
export const TraceView = deferred(async () => (await import('../trace/TraceView')).TraceView);
export const ServerView = deferred(async () => (await import('../server/ServerView')).ServerView);
export const DoctorView = deferred(async () => (await import('../doctor/DoctorView')).DoctorView);
export const DemoView = deferred(async () => (await import('../demo/DemoView')).DemoView);
