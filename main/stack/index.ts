/** What hosts and tests compose the parts with: the bundled stack and its settings file. */
export { BundledStack, type BundledStackOptions } from './bundled-stack';
export { loadServerSettings, saveServerSettings, serverSettingsPath } from './settings-file';
export { startSandboxStack, type SandboxStack, type SandboxStackOptions } from './sandbox-stack';
export { sandboxInfo } from './sandbox-info';
