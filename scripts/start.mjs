// `npm start`: build and launch the desktop app, or explain in one paragraph why it cannot start here.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

const found = findElectronBinary({ download: true });
if (!found.path) {
  console.error(
    `\nMCP Auth Desktop cannot open its window on this machine: ${found.reason}. ` +
      'Electron fetches its binary from the internet the first time it runs, so a machine that can ' +
      'reach only the npm registry cannot start the desktop shell. Everything else works without it: ' +
      'run `npm run serve` to start the sandbox issuer and the bundled MCP server headless, or set ' +
      'ELECTRON_OVERRIDE_DIST_PATH to the folder of an Electron binary you already have and run ' +
      '`npm start` again.\n',
  );
  process.exit(1);
}

const child = spawn('npx', ['electron-vite', 'preview'], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: found.path },
});
child.on('exit', (code) => process.exit(code ?? 1));
