import type { SandboxInfo } from '../../../preload/api';
import { Icon } from '../ui/Icon';

/**
 * The sign-in page as a link one click away. The app opens it by itself, but a popup blocker may
 * refuse an open that no click started; a click on this link always works.
 */
export function SignInLink(props: { url: string; demoUsers?: SandboxInfo['users'] | undefined }) {
  const { url, demoUsers } = props;
  return (
    <div className="sign-in-link">
      <a
        className="button button--primary button--large"
        href={url}
        target="_blank"
        rel="noopener noreferrer"
      >
        <Icon name="external" />
        Open the sign-in page
      </a>
      <p className="muted">
        A new tab should have opened. If it did not (a popup blocker), use this button. Finish
        signing in there; this page follows along.
      </p>
      {demoUsers && demoUsers.length > 0 && (
        <p className="demo-users">
          Sandbox demo users:{' '}
          {demoUsers.map((user, index) => (
            <span key={user.username}>
              {index > 0 && ', '}
              <code>{user.username}</code> / <code>{user.password}</code>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
