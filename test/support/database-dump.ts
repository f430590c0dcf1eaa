import type { TestApp } from './test-app';

/** Every row of every table of the database, as text: what a dump of it would hold. */
export async function databaseDump(t: TestApp): Promise<string> {
  const { rows: tables } = await t.db.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const { rows } = await t.db.query<{ dump: string | null }>(
      `SELECT string_agg(r::text, E'\\n') AS dump FROM ${name} r`,
    );
    parts.push(`-- ${name}\n${rows[0].dump ?? ''}`);
  }
  return parts.join('\n');
}
