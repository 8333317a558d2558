/**
 * Serves the built app (dist/app) and falls back to index.html for GET navigations the SPA routes itself.
 * Paths are resolved inside the root and anything escaping it (.., encoded separators, NUL) is a 404.
 * Hashed assets under /assets are cached for a year; index.html is revalidated on every load.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Route families that the SPA fallback never answers (they 404 as themselves instead of returning the page). */
export const NON_SPA_PREFIXES = ['/api', '/fhir', '/launch', '/login', '/callback', '/logout', '/assets'] as const;

function isUnder(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

async function fileIfExists(path: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? await readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

export function staticApp(options: { readonly root: string }): MiddlewareHandler {
  const root = resolve(options.root);
  return async function serveApp(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = c.req.path;
    if (NON_SPA_PREFIXES.some((p) => isUnder(p, path) && p !== '/assets')) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return next();
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return next();
    const candidate = resolve(join(root, decoded));
    if (candidate !== root && !candidate.startsWith(root + sep)) return next();
    const file = candidate === root ? undefined : await fileIfExists(candidate);
    if (file !== undefined) {
      const type = CONTENT_TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream';
      const cache = isUnder('/assets', path) ? 'public, max-age=31536000, immutable' : 'no-cache';
      return c.body(new Uint8Array(file), 200, { 'Content-Type': type, 'Cache-Control': cache });
    }
    if (isUnder('/assets', path)) return next();
    const index = await fileIfExists(join(root, 'index.html'));
    if (index === undefined) return next();
    return c.body(new Uint8Array(index), 200, { 'Content-Type': CONTENT_TYPES['.html'] ?? 'text/html', 'Cache-Control': 'no-cache' });
  };
}
