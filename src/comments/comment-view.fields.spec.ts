import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_ROW, COMMENT_VIEW_FIELDS } from './comment-view.fields';
import { COMMENT_VIEW_SQL_FILE, commentViewSql } from './comment-view.sql';

const FILE = join(__dirname, '..', '..', COMMENT_VIEW_SQL_FILE);

describe("the readers' comment's fields", () => {
  it(`are what ${COMMENT_VIEW_SQL_FILE} builds (\`npm run generate\` writes it)`, () => {
    const generated = commentViewSql();
    if (process.env.UPDATE_GENERATED === '1') writeFileSync(FILE, generated);
    const committed = readFileSync(FILE, 'utf8');
    if (committed !== generated)
      throw new Error(
        `${COMMENT_VIEW_SQL_FILE} is stale: run \`npm run generate\` (it is generated from src/comments/comment-view.fields.ts)`,
      );
  });

  it.each(Object.entries(COMMENT_VIEW_FIELDS))('%s reads in SQL the very columns it reads in TypeScript', (_, f) => {
    const inSql = Object.entries(COMMENT_ROW)
      .filter(([, c]) => new RegExp(`\\b${c.inFunction.replace('.', '\\.')}\\b`).test(f.sql))
      .map(([name]) => name);
    expect(inSql.sort()).toEqual([...f.columns].sort());
  });

  it('builds a view of any size in parts jsonb_build_object() can take', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, { sql: `${i}` }]));
    expect(commentViewSql(many)).toContain(`'f49', 49)\n    || jsonb_build_object(\n    'f50', 50)`);
  });
});
