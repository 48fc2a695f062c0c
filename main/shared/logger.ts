/**
 * The app's log: leveled lines on stderr. Lines about the sign-in come from the trace, which is
 * redacted before anything sees it, and every line is scrubbed again of the secrets the trace
 * knows, so even debug output can be pasted into an issue.
 */

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  if (value === undefined || value === '') return fallback;
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`Log level must be one of ${LOG_LEVELS.join(', ')}, not "${value}".`);
}

export function createLogger(opts: {
  level: LogLevel;
  /** Defence in depth: replaces any known secret value in a line. */
  scrub?: (text: string) => string;
  write?: (line: string) => void;
}): Logger {
  const rank = LOG_LEVELS.indexOf(opts.level);
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scrub = opts.scrub ?? ((text: string) => text);
  const at = (level: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(level) > rank) return;
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${scrub(message)}`);
  };
  return {
    level: opts.level,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
  };
}
