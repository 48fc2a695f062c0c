import type { ReactNode } from 'react';
import { isRedactedToken } from './format';
import { TokenChip } from './TokenChip';

const REDACTED = /(«redacted[^»]*»)/g;

/** Text with the trace's masks («redacted …») marked, so a person sees what was hidden. */
export function RedactedText({ value }: { value: string }) {
  const parts = value.split(REDACTED);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <mark key={index} className="redacted" title="Redacted before it was stored">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}

function Text({ value }: { value: string }) {
  return (
    <span className="json__string">
      &quot;
      <RedactedText value={value} />
      &quot;
    </span>
  );
}

function Value({ value }: { value: unknown }): ReactNode {
  if (isRedactedToken(value)) return <TokenChip token={value} />;
  if (typeof value === 'string') return <Text value={value} />;
  if (typeof value === 'number') return <span className="json__number">{value}</span>;
  if (typeof value === 'boolean' || value === null) {
    return <span className="json__literal">{String(value)}</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="json__punct">[]</span>;
    return (
      <>
        <span className="json__punct">[</span>
        {value.map((item, index) => (
          <div className="json__entry" key={index}>
            <Value value={item} />
            {index < value.length - 1 && <span className="json__punct">,</span>}
          </div>
        ))}
        <span className="json__punct">]</span>
      </>
    );
  }
  if (typeof value === 'object' && value !== undefined) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="json__punct">{'{}'}</span>;
    return (
      <>
        <span className="json__punct">{'{'}</span>
        {entries.map(([key, item], index) => (
          <div className="json__entry" key={key}>
            <span className="json__key">&quot;{key}&quot;</span>
            <span className="json__punct">: </span>
            <Value value={item} />
            {index < entries.length - 1 && <span className="json__punct">,</span>}
          </div>
        ))}
        <span className="json__punct">{'}'}</span>
      </>
    );
  }
  return <span className="json__literal">{String(value)}</span>;
}

/**
 * Redacted JSON, pretty-printed: tokens as chips (with their decoded claims one click away), masked
 * secrets marked. Everything here was redacted by main before it reached the page.
 */
export function JsonView({ value, label }: { value: unknown; label?: string | undefined }) {
  return (
    <div className="json" role="group" aria-label={label ?? 'JSON'}>
      <Value value={value} />
    </div>
  );
}
