/** A small set of line icons drawn inline (no icon font, no assets). Decorative: always aria-hidden. */
const PATHS = {
  check: 'M4 12.5l5 5L20 6.5',
  cross: 'M6 6l12 12M18 6L6 18',
  pause: 'M9 5v14M15 5v14',
  clock: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  skip: 'M5 12h11M12 7l5 5-5 5M20 6v12',
  circle: 'M20 12a8 8 0 1 1-16 0 8 8 0 0 1 16 0z',
  copy: 'M9 9h10v11H9zM5 15V4h10',
  chevron: 'M9 6l6 6-6 6',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  warning: 'M12 3l10 18H2L12 3zM12 10v5M12 18v.5',
  info: 'M12 11v6M12 7v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  error: 'M12 7v6M12 16.5v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  bulb: 'M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z',
  play: 'M7 4l13 8-13 8z',
  steps: 'M4 6h4M4 12h4M4 18h4M11 6h9M11 12h9M11 18h9',
  refresh: 'M20 11a8 8 0 0 0-14.9-3M4 4v4h4M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  plus: 'M12 5v14M5 12h14',
  server: 'M4 5h16v6H4zM4 13h16v6H4zM8 8h.5M8 16h.5',
  key: 'M14 10a4 4 0 1 0-3.5 4L13 16.5V19h2.5v-2.5H18V14l-3.5-3.5A4 4 0 0 0 14 10z',
  tool: 'M8 8l-4 4 4 4M16 8l4 4-4 4M13.5 5l-3 14',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  stop: 'M6 6h12v12H6z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner" role={label ? 'img' : undefined} aria-label={label}>
      <span aria-hidden="true" />
    </span>
  );
}
