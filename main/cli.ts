/** Headless host: `tsx main/cli.ts <command>`. Each command lives in main/cli/<command>.ts. */
import { runConnect } from './cli/connect';
import { runServe } from './cli/serve';
import { UsageError } from './cli/usage-error';
import { PortInUseError } from './shared/listen';

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: runServe,
  connect: runConnect,
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;

if (!command) {
  console.error(`Usage: tsx main/cli.ts <${Object.keys(commands).join('|')}> [options]`);
  process.exitCode = 2;
} else {
  command(args).then(
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
