/** Headless host: `node --import tsx main/cli.ts <command>`. Each command lives in main/cli/<command>.ts. */
import { UsageError } from './cli/usage-error';
import { PortInUseError } from './shared/listen';

type Command = (args: string[]) => Promise<number>;

// Loaded on demand: `connect` has no business starting oidc-provider (and its warnings).
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./cli/serve')).runServe,
  connect: async () => (await import('./cli/connect')).runConnect,
  doctor: async () => (await import('./cli/doctor')).runDoctorCommand,
};

const [name, ...args] = process.argv.slice(2);
const load = name ? commands[name] : undefined;

if (!load) {
  console.error(`Usage: npm run <${Object.keys(commands).join('|')}> -- [options]`);
  process.exitCode = 2;
} else {
  load()
    .then((command) => command(args))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        // Expected failures (busy port, bad option) are one clear line; anything else keeps its stack.
        if (error instanceof UsageError || error instanceof PortInUseError) {
          console.error(`\n${error.message}\n`);
        } else {
          console.error(error);
        }
        process.exitCode = 1;
      },
    );
}
