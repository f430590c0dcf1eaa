import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../../dist/embed');

/** embed.js.gz and embed.js.br beside embed.js: the service sends them to browsers that accept them. */
function precompress(): Plugin {
  return {
    name: 'comment-desk-precompress',
    closeBundle() {
      const file = resolve(outDir, 'embed.js');
      const code = readFileSync(file);
      writeFileSync(`${file}.gz`, gzipSync(code, { level: 9 }));
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
    outDir,
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
