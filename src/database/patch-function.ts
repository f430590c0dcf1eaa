import type { QueryRunner } from 'typeorm';

/**
 * Replaces statements inside a PL/pgSQL function created by an earlier migration, in one DO
 * block: each `[before, after]` text must be found as it was written, or the migration fails
 * (a function changed by hand is not patched blindly). `signature`: e.g. 'f(uuid, jsonb)'.
 */
export async function patchFunction(
  queryRunner: QueryRunner,
  signature: string,
  patches: [before: string, after: string][],
): Promise<void> {
  const steps = patches
    .map(
      ([before, after]) => `
       IF position(${literal(before)} IN source) = 0 THEN
         RAISE EXCEPTION '% does not hold the text to replace: %', ${literal(signature)}, ${literal(before)};
       END IF;
       source := replace(source, ${literal(before)}, ${literal(after)});`,
    )
    .join('');
  await queryRunner.query(
    `DO $$
     DECLARE source text := pg_get_functiondef(${literal(signature)}::regprocedure);
     BEGIN${steps}
       EXECUTE source;
     END $$`,
  );
}

/** The patches of `patchFunction`, the other way round: a migration's down(). */
export const reversed = (patches: [string, string][]): [string, string][] =>
  patches.map(([before, after]) => [after, before]);

/** A dollar-quoted SQL literal (the texts hold single quotes). */
const literal = (text: string) => `$patch$${text}$patch$`;
