/**
 * The built renderer's files, looked up by URL path for the two hosts that serve them (the web
 * host over HTTP, the desktop app over app://). A path that does not decode is a 400; one that
 * leaves the folder (`..`, encoded slashes, absolute paths) or names no file is a 404.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export type StaticFile =
  { status: 200; file: string; body: Buffer; contentType: string } | { status: 400 | 404 };

/** `pathname` as a URL gives it (percent-encoded); `/` is index.html. */
export async function readStaticFile(root: string, pathname: string): Promise<StaticFile> {
  let name: string;
  try {
    name = pathname === '/' ? 'index.html' : decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  const base = normalize(root);
  const file = normalize(join(base, name));
  if (!file.startsWith(base + sep) || name.includes('\0')) return { status: 404 };
  try {
    const body = await readFile(file);
    return {
      status: 200,
      file,
      body,
      contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    };
  } catch {
    return { status: 404 };
  }
}
