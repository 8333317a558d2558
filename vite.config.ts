import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The app: root app/, built into dist/app, served by the gateway on the same origin.
 * CSP-friendly output: one external module script, no inline scripts, no CDN; Lit styles use adopted
 * stylesheets. The module-preload polyfill is off (every supported browser has modulepreload) so Vite injects
 * nothing inline.
 */
const repoRoot = import.meta.dirname;

export default defineConfig({
  root: resolve(repoRoot, 'app'),
  publicDir: resolve(repoRoot, 'app/public'),
  base: '/',
  build: {
    outDir: resolve(repoRoot, 'dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    sourcemap: true,
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
});
