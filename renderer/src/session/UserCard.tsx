import { useState } from 'react';
import type { SessionView } from '../../../preload/api';
import { initialsOf } from '../ui/format';

/**
 * Who is signed in: the `picture` claim when it is an https (or inline) image, else initials. The
 * page's Content-Security-Policy allows https images for exactly this; a picture that fails to
 * load falls back to initials too.
 */
export function UserCard({ user }: { user: SessionView['user'] }) {
  const [broken, setBroken] = useState(false);
  const display = user.name ?? user.username ?? user.email ?? user.sub ?? 'Signed-in user';
  const picture =
    !broken && user.picture && /^(https:|data:image\/)/.test(user.picture)
      ? user.picture
      : undefined;
  return (
    <div className="user-card">
      {picture ? (
        <img
          className="avatar"
          src={picture}
          alt=""
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
        />
      ) : (
        <span className="avatar avatar--initials" aria-hidden="true">
          {initialsOf(display)}
        </span>
      )}
      <div className="user-card__text">
        <p className="user-card__name">{display}</p>
        {user.email && <p className="user-card__line">{user.email}</p>}
        {user.username && user.username !== display && (
          <p className="user-card__line">
            username <code>{user.username}</code>
          </p>
        )}
        {user.sub && (
          <p className="user-card__line">
            subject <code>{user.sub}</code>
          </p>
        )}
      </div>
    </div>
  );
}
