import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export type Tone = 'info' | 'success' | 'warning' | 'error' | 'fix';

const ICONS: Record<Tone, IconName> = {
  info: 'info',
  success: 'check',
  warning: 'warning',
  error: 'error',
  fix: 'bulb',
};

/** A boxed message; the tone shows as an icon and a heading too, never as color alone. */
export function Callout(props: {
  tone: Tone;
  title?: ReactNode;
  children?: ReactNode;
  /** 'alert' interrupts a screen reader; use it for errors that just happened. */
  role?: 'alert' | 'status';
  className?: string;
}) {
  const { tone, title, children, role, className } = props;
  return (
    <div className={`callout callout--${tone}${className ? ` ${className}` : ''}`} role={role}>
      <span className="callout__icon">
        <Icon name={ICONS[tone]} />
      </span>
      <div className="callout__body">
        {title !== undefined && <p className="callout__title">{title}</p>}
        {children}
      </div>
    </div>
  );
}

/** An error as the API reports it: the message, then the fix in its own callout. */
export function ErrorWithFix(props: {
  error: { message: string; fix?: string; code?: string };
  title?: string;
  role?: 'alert';
}) {
  const { error, title = 'Something went wrong', role } = props;
  return (
    <div className="error-with-fix" role={role}>
      <Callout tone="error" title={title}>
        <p>{error.message}</p>
        {error.code && (
          <p className="muted">
            Code: <code>{error.code}</code>
          </p>
        )}
      </Callout>
      {error.fix && (
        <Callout tone="fix" title="How to fix it">
          <p>{error.fix}</p>
        </Callout>
      )}
    </div>
  );
}
