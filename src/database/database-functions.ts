import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryRunner } from 'typeorm';

/**
 * migrations/functions/, one file per database function with its whole current text. The same
 * path from src/database (jest, ts) and from dist/src/database (the build copies the files there).
 */
export const FUNCTIONS_DIR = join(__dirname, '..', '..', 'migrations', 'functions');

export interface FunctionFile {
  /** The function's name: the file's name without `.sql`. */
  name: string;
  text: string;
  checksum: string;
}

export function readFunctionFiles(dir = FUNCTIONS_DIR): FunctionFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return { name: file.slice(0, -'.sql'.length), text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * The files, each after those whose functions it calls: PostgreSQL checks a SQL-language body
 * when it is created, so what it calls must exist by then. A call is the name followed by `(`
 * outside comments.
 */
export function inDependencyOrder(files: FunctionFile[]): FunctionFile[] {
  const code = new Map(files.map((f) => [f.name, f.text.replace(/--[^\n]*/g, '')]));
  const calls = (f: FunctionFile) =>
    files.filter((other) => other !== f && new RegExp(`\\b${other.name}\\s*\\(`).test(code.get(f.name)!));
  const ordered: FunctionFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: FunctionFile, path: string[]) => {
    if (state.get(f.name) === 'done') return;
    if (state.get(f.name) === 'visiting')
      throw new Error(`Database functions call each other in a cycle: ${[...path, f.name].join(' -> ')}`);
    state.set(f.name, 'visiting');
    for (const callee of calls(f)) visit(callee, [...path, f.name]);
    state.set(f.name, 'done');
    ordered.push(f);
  };
  for (const f of files) visit(f, []);
  return ordered;
}

/**
 * Brings the database's functions to the files' text, in one transaction: a file is applied when
 * its checksum differs from the one last applied (database_functions, made by a migration), and
 * the function of a file that is gone is dropped. Runs after the versioned migrations, under
 * their advisory lock (runMigrationsLocked), so instances that boot together apply each change once.
 * Answers the names applied or dropped.
 */
export async function applyDatabaseFunctions(runner: QueryRunner, files = readFunctionFiles()): Promise<string[]> {
  const stored: { name: string; checksum: string }[] = await runner.query(
    `SELECT name, checksum FROM database_functions`,
  );
  const applied = new Map(stored.map((row) => [row.name, row.checksum]));
  const changed = inDependencyOrder(files).filter((f) => applied.get(f.name) !== f.checksum);
  const removed = [...applied.keys()].filter((name) => !files.some((f) => f.name === name));
  if (changed.length === 0 && removed.length === 0) return [];
  await runner.startTransaction();
  try {
    for (const name of removed) {
      await runner.query(`DROP FUNCTION IF EXISTS ${quoteIdent(name)}`);
      await runner.query(`DELETE FROM database_functions WHERE name = $1`, [name]);
    }
    for (const f of changed) {
      // Without parameters, so that a file may hold several statements (a DROP before a CREATE).
      await runner.query(f.text);
      await runner.query(
        `INSERT INTO database_functions (name, checksum) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
        [f.name, f.checksum],
      );
    }
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
  return [...removed, ...changed.map((f) => f.name)];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
