import type { ReactNode } from 'react';

/**
 * One line of a doctor list (a check, a setup item, a token reason): a badge, a title, what was
 * seen, and for problems why and what to change. `tone` colours the box; the badge names it.
 */
export function DoctorItem(props: {
  tone: 'pass' | 'warn' | 'fail';
  badge: ReactNode;
  title: string;
  detail: string;
  cause?: string | undefined;
  fix?: string | undefined;
  note?: string | undefined;
  pointed?: boolean;
  id?: string;
  label?: string;
  children?: ReactNode;
}) {
  const {
    tone,
    badge,
    title,
    detail,
    cause,
    fix,
    note,
    pointed = false,
    id,
    label,
    children,
  } = props;
  return (
    <li
      className={`doctor-check doctor-check--${tone}${pointed ? ' doctor-check--pointed' : ''}`}
      {...(id && { id })}
      {...(label && { 'aria-label': label })}
    >
      <div>{badge}</div>
      <div>
        <p className="doctor-check__title">{title}</p>
        <p>{detail}</p>
        {cause && (
          <p>
            <strong>Why:</strong> {cause}
          </p>
        )}
        {fix && (
          <p>
            <strong>Fix:</strong> {fix}
          </p>
        )}
        {note && <p className="muted">{note}</p>}
        {children}
      </div>
    </li>
  );
}
