#!/usr/bin/env node
// The build, part by part, each skipped when its sources have not changed since it was last built,
// and installed into dist/ without ever taking away what a running service is serving.
//
//   node scripts/build.mjs [server] [embed] [desk] [--force]   (no part named: all three)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMPS = join(DIST, '.stamps');
/** Builds are made here first (beside dist/, on the same file system, so that moving them in is a rename). */
const STAGING = join(ROOT, 'dist-tmp');
const COMMON_INPUTS = ['package-lock.json', 'scripts/build.mjs'];
/** The API's types, generated from docs/openapi.json by each front end's build (not committed). */
const API_TYPES = { desk: 'web/desk/src/api/openapi.d.ts', embed: 'web/embed/src/openapi.d.ts' };

const bin = (...path) => join(ROOT, 'node_modules', ...path);

/**
 * What each part is made from, what shows it is there, and how it is made into `out` (a staging
 * folder whose contents then replace those of dist/`target`, file by file).
 */
/** A front end of web/: its API types from the OpenAPI document, a type check, then Vite into `out`. */
function buildFrontEnd(part, name, out) {
  generateApiTypes(`${name}'s`, API_TYPES[part]);
  run(`Type-checking ${name}`, [bin('typescript', 'bin', 'tsc'), '-p', `web/${part}/tsconfig.json`]);
  run(`Building ${name}`, [
    bin('vite', 'bin', 'vite.js'),
    'build',
    '--config',
    `web/${part}/vite.config.mts`,
    '--outDir',
    out,
  ]);
}

const PARTS = {
  server: {
    inputs: ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'],
    target: '.',
    made: 'src/main.js',
    build(out) {
      // The Nest CLI (its Swagger plugin adds to the DTOs' metadata) into the staging folder.
      const tsconfig = join(out, '..', `${relative(STAGING, out)}.tsconfig.json`);
      writeFileSync(
        tsconfig,
        JSON.stringify({
          extends: relative(dirname(tsconfig), join(ROOT, 'tsconfig.build.json')),
          compilerOptions: { outDir: out },
        }),
      );
      try {
        run('nest build', [bin('@nestjs', 'cli', 'bin', 'nest.js'), 'build', '--path', relative(ROOT, tsconfig)]);
      } finally {
        rmSync(tsconfig, { force: true });
      }
      // The database functions' files, which the service applies at boot (src/database/database-functions.ts).
      cpSync(join(ROOT, 'migrations', 'functions'), join(out, 'migrations', 'functions'), {
        recursive: true,
        filter: (path) => statSync(path).isDirectory() || path.endsWith('.sql'),
      });
    },
  },
  embed: {
    inputs: ['web/embed', 'web/shared', 'docs/openapi.json'],
    target: 'embed',
    made: 'embed.js',
    build: (out) => buildFrontEnd('embed', 'the embed', out),
  },
  desk: {
    inputs: ['web/desk', 'web/shared', 'docs/openapi.json'],
    target: 'desk',
    made: 'index.html',
    build: (out) => buildFrontEnd('desk', 'the console', out),
    /** A page loaded from the index being replaced still asks for its assets: they stay one more build. */
    keep(target) {
      const index = join(target, 'index.html');
      if (!existsSync(index)) return new Set();
      const assets = readFileSync(index, 'utf8').matchAll(/\/desk\/(assets\/[^"'?#]+)/g);
      return new Set([...assets].flatMap(([, path]) => [path, `${path}.br`, `${path}.gz`]));
    },
  },
};

function generateApiTypes(whose, path) {
  run(`Generating ${whose} API types`, [
    bin('openapi-typescript', 'bin', 'cli.js'),
    'docs/openapi.json',
    '-o',
    path,
    '--silent',
  ]);
}

function run(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Every file under `path` (a file or a folder), relative to ROOT. */
function files(path) {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .filter((name) => name !== 'node_modules')
    .flatMap((name) => files(join(path, name)));
}

/** A hash of the sources' names and contents: the same sources, the same build. */
function sourceHash(part) {
  const hash = createHash('sha256');
  const paths = [...PARTS[part].inputs, ...COMMON_INPUTS]
    .flatMap(files)
    .filter((path) => !Object.values(API_TYPES).includes(path)) // made by the build from docs/openapi.json
    .sort();
  for (const path of paths)
    hash
      .update(`${path}\0`)
      .update(readFileSync(join(ROOT, path)))
      .update('\0');
  return hash.digest('hex');
}

/** Every file under `dir`, relative to it. */
function walk(dir, under = '') {
  if (!existsSync(join(dir, under))) return [];
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const path = join(under, entry.name);
    return entry.isDirectory() ? walk(dir, path) : [path];
  });
}

/**
 * Moves the staged build into `target` one file at a time: each rename replaces a file whole, so a
 * running service never finds one missing or half written. Then removes what the new build no
 * longer has, apart from `keep`. Only the top-level folders the build made are swept (the server's
 * build shares dist/ with the others).
 */
function install(staged, target, keep = new Set()) {
  const made = new Set(walk(staged));
  for (const path of made) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    renameSync(join(staged, path), join(target, path));
  }
  const swept = target === DIST ? readdirSync(staged) : [''];
  for (const top of swept)
    for (const path of walk(target, top)) if (!made.has(path) && !keep.has(path)) unlinkSync(join(target, path));
  for (const top of swept) removeEmptyFolders(join(target, top));
}

function removeEmptyFolders(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  for (const name of readdirSync(dir)) removeEmptyFolders(join(dir, name));
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Builds `part` unless its stamp says these very sources made what dist/ holds; says which it did. */
function buildPart(part, force) {
  const { target, made, build, keep } = PARTS[part];
  const targetDir = join(DIST, target);
  const stamp = join(STAMPS, part);
  const hash = sourceHash(part);
  if (!force && existsSync(join(targetDir, made)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash)
    return `${part}: up to date`;
  const started = Date.now();
  const out = join(STAGING, `${part}-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    build(out);
    install(out, targetDir, keep?.(targetDir));
  } finally {
    rmSync(out, { recursive: true, force: true });
    if (existsSync(STAGING) && readdirSync(STAGING).length === 0) rmdirSync(STAGING);
  }
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(stamp, hash);
  return `${part}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

const USAGE = `Usage: npm run build [-- [server] [embed] [desk] [--force]]
  Builds the named parts (all three when none is named) into dist/, each only when its sources
  changed since it was last built; --force rebuilds anyway.`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const options = args.filter((arg) => arg.startsWith('-') && arg !== '--force');
if (options.length > 0) {
  console.error(`Unknown option: ${options.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const force = args.includes('--force');
const named = args.filter((arg) => !arg.startsWith('--'));
const unknown = named.filter((part) => !(part in PARTS));
if (unknown.length > 0) {
  console.error(`Unknown part: ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')}`);
  process.exit(2);
}
try {
  for (const part of named.length > 0 ? named : Object.keys(PARTS)) console.error(buildPart(part, force));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
