import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
/** Where `vite build` puts it unless told (scripts/build.mjs builds into a staging folder first). */
const defaultOutDir = resolve(here, '../../dist/embed');

/** The size budget of embed.js with its styles, gzipped: the build fails past it. */
const BUDGET_GZIP_BYTES = 25_000;

/**
 * embed.js.gz and embed.js.br beside embed.js: the service sends them to browsers that accept
 * them. Checks the budget on the way, so that it cannot drift.
 */
function precompress(): Plugin {
  let outDir = defaultOutDir;
  return {
    name: 'comment-desk-precompress',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const file = resolve(outDir, 'embed.js');
      const code = readFileSync(file);
      const gzipped = gzipSync(code, { level: 9 });
      if (gzipped.length > BUDGET_GZIP_BYTES)
        throw new Error(`embed.js is ${gzipped.length} bytes gzipped, over its budget of ${BUDGET_GZIP_BYTES}`);
      writeFileSync(`${file}.gz`, gzipped);
      writeFileSync(`${file}.br`, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    },
  };
}

/** One classic script, dist/embed/embed.js, that defines <comment-desk-thread>; its CSS is a string inside it. */
export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: defaultOutDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: resolve(here, 'src/main.ts'),
      formats: ['iife'],
      name: 'CommentDeskEmbed',
      fileName: () => 'embed.js',
    },
  },
});
