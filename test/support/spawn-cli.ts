import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface RunningCommand {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the output once `pattern` appears; rejects on exit or after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group. */
  interrupt(): void;
}

/** Runs an npm script in its own process group, as a person would in a terminal. */
export function runNpm(args: string[], env: NodeJS.ProcessEnv = {}): RunningCommand {
  return runCommand('npm', ['run', '--silent', ...args], env);
}

/** Runs a command in its own process group, so that interrupt() is a terminal's Ctrl-C. */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): RunningCommand {
  const child = spawn(command, args, {
    detached: true,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then everything the command printed has been read.
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`Timed out waiting for ${pattern}; output so far:\n${text}`)),
          timeoutMs,
        );
        const check = () => pattern.test(text) && done();
        const onExit = () =>
          pattern.test(text)
            ? done()
            : done(new Error(`Exited before ${pattern}; output:\n${text}`));
        const done = (error?: Error) => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.stderr.off('data', check);
          child.off('close', onExit);
          if (error) reject(error);
          else resolve(text);
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.once('close', onExit);
        check();
      }),
  };
}
