// Bundles the pages' TypeScript (src/web/) and styles into dist/web/ with esbuild: one script, one stylesheet, no
// CDN. Part of `npm run build`, so `npm start` and the tests serve what this writes.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'web', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
const css = [
  readFileSync(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8'),
  readFileSync(join(root, 'src', 'web', 'style.css'), 'utf8'),
];
writeFileSync(join(out, 'app.css'), css.join('\n'));
