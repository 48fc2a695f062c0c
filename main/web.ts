/**
 * Web host: the same API and screens as the desktop app, served on 127.0.0.1 for machines where
 * Electron cannot start and for end-to-end tests in a real browser. Sign-in pages open in a new
 * tab of the same browser; the redirect comes back through the loopback listener.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppApi } from './api';
import { openInBrowser } from './cli/open-browser';
import {
  RedirectReceiver,
  redirectRegistrationNote,
  startLoopbackListener,
} from './client/redirect';
import { FileSecretStore } from './profiles/secret-store';
import { FileProfileStore } from './profiles/store';
import { openDataDir } from './shared/data-dir';
import { listen, PortInUseError } from './shared/listen';
import {
  SERVER_FLAG_OPTIONS,
  SERVER_FLAGS_HELP,
  settingsFromFlags,
  portFlag,
} from './cli/server-flags';
import { UsageError } from './cli/usage-error';
import { BundledStack, loadServerSettings, saveServerSettings } from './stack';
import { logTrace, TraceRecorder } from './trace';
import { createLogger, parseLogLevel } from './shared/logger';
import { createHttpApiHandler, createOpenLinks } from './web/http-api';

const HELP = `npm run web -- [options]

Runs the app in your browser: the same screens as the desktop app, served on 127.0.0.1, with the
bundled MCP server (and the sandbox issuer when something uses it).

  --port <n>              web host port (default: a free one)
  --server-port <n>       MCP server port (default 3001; a busy port moves to a free one)
  --issuer-port <n>       sandbox issuer port (default 3100; likewise)
  --data-dir <path>       where profiles, secrets and server settings live (env MCP_AUTH_DESKTOP_DATA)
  --no-open               do not open a browser
  --log-level <level>     error | warn | info | debug (default warn, env LOG_LEVEL)
  -h, --help              print this help

The MCP server starts with the settings saved from the Server tab; these flags override them for
this run (Apply in the Server tab saves):
${SERVER_FLAGS_HELP}
`;

const OPTIONS = {
  port: { type: 'string' },
  'server-port': { type: 'string' },
  'issuer-port': { type: 'string' },
  'data-dir': { type: 'string' },
  'no-open': { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...SERVER_FLAG_OPTIONS,
} as const;

function parseFlags() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`);
  }
}

async function main(values: ReturnType<typeof parseFlags>): Promise<void> {
  const { dir: dataDir, notes } = await openDataDir(values['data-dir']);
  const notices: string[] = [];
  const problems = (message: string) => {
    console.warn(message);
    notices.push(message);
  };
  for (const message of notes) problems(message);
  const saved = await loadServerSettings(dataDir, problems);
  const serverPort = portFlag(values['server-port'], '--server-port');
  const issuerPort = portFlag(values['issuer-port'], '--issuer-port');
  const stack = await BundledStack.start({
    dataDir,
    settings: settingsFromFlags(values, saved),
    ...(serverPort !== undefined && { serverPort }),
    ...(issuerPort !== undefined && { issuerPort }),
    // The usual ports may be taken (another copy, or npm run serve): free ports will do here.
    movePortsWhenBusy: true,
    onApplied: (applied) => saveServerSettings(dataDir, applied),
  });
  for (const note of stack.notes) problems(note);
  const recorder = new TraceRecorder();
  logTrace(
    recorder,
    createLogger({
      level: parseLogLevel(values['log-level'] ?? process.env.LOG_LEVEL, 'warn'),
      scrub: (text) => recorder.secrets.replaceKnown(text),
    }),
  );
  const receiver = new RedirectReceiver();
  const loopback = await startLoopbackListener({ receiver });
  const loopbackNote = redirectRegistrationNote('loopback');
  const token = randomBytes(32).toString('base64url');
  const links = createOpenLinks();
  let where = { hosts: [] as string[], origin: '' };

  const api = await createAppApi({
    host: 'web',
    version: process.env.npm_package_version ?? '0.1.0',
    stack,
    profiles: new FileProfileStore(join(dataDir, 'profiles.json'), { onProblem: problems }),
    secrets: await FileSecretStore.open(join(dataDir, 'secrets'), { onProblem: problems }),
    recorder,
    receiver,
    notices,
    redirects: [
      {
        mode: 'loopback',
        redirectUri: loopback.redirectUri,
        register: loopbackNote.register,
        note: loopbackNote.note,
      },
    ],
    // A server cannot open a tab in the user's browser: the page does, on this event, through a
    // one-time link so that no token in the URL reaches the page.
    openExternal: (url, purpose) =>
      api.publish({ type: 'open-url', url: `${where.origin}${links.create(url)}`, purpose }),
  });

  const port = portFlag(values.port, '--port') ?? 0;
  const http = await listen(
    createHttpApiHandler({
      api,
      links,
      token,
      rendererDir: join(import.meta.dirname, '../out/renderer'),
      origin: () => where,
    }),
    {
      host: '127.0.0.1',
      port,
      label: 'web host',
      howToChange: 'Choose another port with --port (0 picks a free one).',
    },
  );
  where = {
    hosts: [`127.0.0.1:${http.port}`, `localhost:${http.port}`],
    origin: `http://127.0.0.1:${http.port}`,
  };
  const url = `${where.origin}/?token=${token}`;
  console.log(`MCP Auth Desktop (web) is running at ${url}`);
  console.log(`  MCP server ${stack.server.url}, trusting ${stack.server.issuer}`);
  console.log('  Press Ctrl-C to stop.');
  // The opener's command line is visible to every local user (`ps`): it gets a one-time link
  // that redirects to the token URL, not the token itself.
  if (!values['no-open']) await openInBrowser(`${where.origin}${links.create(url)}`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await api.close();
  await Promise.allSettled([http.close(), loopback.close(), stack.close()]);
  receiver.cancelAll('The app stopped.');
}

try {
  const values = parseFlags();
  if (values.help) {
    console.log(HELP);
  } else {
    await main(values);
  }
} catch (error: unknown) {
  // Expected failures (bad flag, busy port) are a clear message; anything else keeps its stack.
  const expected = error instanceof UsageError || error instanceof PortInUseError;
  console.error(expected ? `\n${(error as Error).message}\n` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
