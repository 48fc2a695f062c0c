// `npm start`: the desktop app, or, where the Electron binary cannot run, the same screens in the
// browser through web mode (said in one line), so the README's run command always opens the app.
// Arguments after `npm start --` go to web mode (--port, --data-dir, --no-open, ...).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const found = findElectronBinary({ download: true });

const run = (command, args, env = process.env) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    // Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to this script is passed on.
    const ignore = () => undefined;
    const forward = () => child.kill('SIGTERM');
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });

if (found.path) {
  process.exit(
    await run('npx', ['electron-vite', 'preview'], {
      ...process.env,
      ELECTRON_EXEC_PATH: found.path,
    }),
  );
}

console.error(
  `MCP Auth Desktop cannot open its window here (${found.reason}): opening the same screens in your browser through web mode instead (npm run web; npm run serve runs headless; ELECTRON_OVERRIDE_DIST_PATH=<folder of an Electron binary> starts the desktop app).`,
);
const built = await run(process.execPath, ['scripts/build-if-stale.mjs']);
if (built !== 0) process.exit(built);
process.exit(
  await run(process.execPath, ['--import', 'tsx', 'main/web.ts', ...process.argv.slice(2)]),
);
