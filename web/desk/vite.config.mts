import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
/** Where `vite build` puts it unless told (scripts/build.mjs builds into a staging folder first). */
const defaultOutDir = resolve(here, '../../dist/desk');

/** The console's JavaScript and CSS together, gzipped: the build fails past it. */
const BUDGET_GZIP_BYTES = 150_000;

/** .gz and .br beside each asset, for browsers that accept them; checks the budget on the way. */
function precompress(): Plugin {
  let outDir = defaultOutDir;
  return {
    name: 'comment-desk-precompress',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      let total = 0;
      for (const name of readdirSync(assets).filter((n) => /\.(js|css)$/.test(n))) {
        const file = join(assets, name);
        const code = readFileSync(file);
        const gzipped = gzipSync(code, { level: 9 });
        total += gzipped.length;
        writeFileSync(`${file}.gz`, gzipped);
        writeFileSync(`${file}.br`, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
      if (total > BUDGET_GZIP_BYTES)
        throw new Error(`The console is ${total} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES}`);
    },
  };
}

/** dist/desk: index.html and fingerprinted assets, served at /desk/ by the service. */
export default defineConfig({
  root: here,
  base: '/desk/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: defaultOutDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
