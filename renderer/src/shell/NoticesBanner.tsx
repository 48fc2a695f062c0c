import type { AppInfo } from '../../../preload/api';
import { Callout } from '../ui/Callout';

/** What the app repaired at start (a damaged file moved aside, a busy port replaced), said once. */
export function NoticesBanner({ info }: { info: AppInfo }) {
  if (info.notices.length === 0) return null;
  return (
    <Callout tone="warning" title="The app repaired something at start" className="banner">
      <ul className="notices">
        {info.notices.map((notice) => (
          <li key={notice}>{notice}</li>
        ))}
      </ul>
    </Callout>
  );
}
