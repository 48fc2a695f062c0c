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
import { startSandboxStack, type SandboxStack } from './stack';
import { logTrace, TraceRecorder } from './trace';
import { createLogger, parseLogLevel } from './shared/logger';
import { createHttpApiHandler, createOpenLinks } from './web/http-api';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'server-port': { type: 'string' },
    'issuer-port': { type: 'string' },
    'data-dir': { type: 'string' },
    'no-open': { type: 'boolean' },
    'log-level': { type: 'string' },
  },
});

async function startStack(
  dataDir: string,
  notice: (message: string) => void,
): Promise<SandboxStack> {
  const ports = {
    ...(values['server-port'] !== undefined && { serverPort: Number(values['server-port']) }),
    ...(values['issuer-port'] !== undefined && { issuerPort: Number(values['issuer-port']) }),
  };
  try {
    return await startSandboxStack({ dataDir, ...ports });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    // The usual ports are taken (another copy, or npm run serve): any free ports will do here.
    notice(`${error.message} Using free ports instead.`);
    return startSandboxStack({ dataDir, serverPort: 0, issuerPort: 0 });
  }
}

async function main(): Promise<void> {
  const { dir: dataDir, notes } = await openDataDir(values['data-dir']);
  const notices: string[] = [];
  const problems = (message: string) => {
    console.warn(message);
    notices.push(message);
  };
  for (const message of notes) problems(message);
  const stack = await startStack(dataDir, problems);
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

  const port = values.port === undefined ? 0 : Number(values.port);
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
  console.log(`  sandbox issuer ${stack.issuer.issuer}, MCP server ${stack.server.url}`);
  console.log('  Press Ctrl-C to stop.');
  if (!values['no-open']) await openInBrowser(url);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await api.close();
  await Promise.allSettled([http.close(), loopback.close(), stack.close()]);
  receiver.cancelAll('The app stopped.');
}

main().catch((error: unknown) => {
  console.error(error instanceof PortInUseError ? error.message : error);
  process.exitCode = 1;
});
