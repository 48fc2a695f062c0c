/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS" when it is loaded on any Node
 * release older than 22 (it checks the LTS code name, nothing it uses). This app declares and
 * tests Node 20.19+ (the whole suite runs on Node 20), so on every start that line would tell the
 * person something false about their setup. This module, imported before oidc-provider by
 * ./index.ts, drops exactly that one line, once, and puts console.warn back as soon as the
 * modules have loaded; every other warning, from oidc-provider or anyone, is printed as before.
 * On Node 22+ the line is never printed and nothing is dropped (Electron 45 ships Node 22; whether
 * its build reports an LTS name could not be checked here, where its binary cannot run). It works because web, the CLI and the tests load main/ as modules in source order (tsx);
 * a bundle that hoists oidc-provider's import above this module would need it loaded first. See
 * README, "Node versions".
 */
const UNSUPPORTED_RUNTIME = /oidc-provider WARNING: Unsupported runtime\. Use Node\.js v22/;

const original = console.warn;
console.warn = function warnExceptRuntimeNotice(...args: unknown[]) {
  // On a terminal the message is wrapped in colour codes: look for it anywhere in the string.
  if (args.length === 1 && typeof args[0] === 'string' && UNSUPPORTED_RUNTIME.test(args[0])) {
    console.warn = original;
    return;
  }
  original.apply(console, args);
};
// Module graphs load synchronously: by the next turn of the event loop oidc-provider has loaded.
setImmediate(() => {
  if (console.warn.name === 'warnExceptRuntimeNotice') console.warn = original;
});
