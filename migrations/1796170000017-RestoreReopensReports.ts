import { MigrationInterface, QueryRunner } from 'typeorm';
import { patchFunction, reversed } from '../src/database/patch-function';

const DECIDE_COMMENT = 'decide_comment(uuid, uuid, text, text, text, text, text, text)';

/**
 * Taking a decision back (decide_comment with p_action 'restore') also opens again the reports that
 * decision resolved, so that a reported comment returns to the reported queue with its reports,
 * and it no longer resolves the reports that came since. The decision taken back is the latest
 * approve or reject of the comment by the same moderator, to the status the restore expects; its
 * reports are those that moderator resolved after the comment's log entry before it, up to the
 * decision's own entry.
 */
const PATCHES: [before: string, after: string][] = [
  [
    `  resolved int := 0;
`,
    `  resolved int := 0;
  reopened int := 0;
  decided_at timestamptz;
  before_at timestamptz;
`,
  ],
  [
    `  IF c.open_report_count > 0 THEN
    UPDATE reports SET resolved_at = now(), resolved_by = p_actor WHERE comment_id = p_id AND resolved_at IS NULL;`,
    `  IF p_action = 'restore' THEN
    SELECT l.created_at,
           (SELECT e.created_at FROM moderation_log e WHERE e.target_type = 'comment' AND e.target_id = l.target_id
              AND e.seq < l.seq ORDER BY e.seq DESC LIMIT 1)
      INTO decided_at, before_at
      FROM moderation_log l
      WHERE l.target_type = 'comment' AND l.target_id = p_id::text AND l.actor_id = p_actor
        AND l.action IN ('approve', 'reject') AND l.to_status = p_expected
      ORDER BY l.seq DESC LIMIT 1;
    UPDATE reports SET resolved_at = NULL, resolved_by = NULL
      WHERE comment_id = p_id AND resolved_by = p_actor AND resolved_at <= decided_at
        AND (before_at IS NULL OR resolved_at > before_at);
    GET DIAGNOSTICS reopened = ROW_COUNT;
  ELSIF c.open_report_count > 0 THEN
    UPDATE reports SET resolved_at = now(), resolved_by = p_actor WHERE comment_id = p_id AND resolved_at IS NULL;`,
  ],
  [
    `UPDATE comments SET status = p_to, open_report_count = 0 WHERE id = p_id RETURNING * INTO updated;`,
    `UPDATE comments SET status = p_to,
    open_report_count = CASE WHEN p_action = 'restore' THEN c.open_report_count + reopened ELSE 0 END
    WHERE id = p_id RETURNING * INTO updated;`,
  ],
  [
    `    count_reported = count_reported - (c.open_report_count > 0)::int
`,
    `    count_reported = count_reported - (c.open_report_count > 0)::int + (updated.open_report_count > 0)::int
`,
  ],
  [
    `CASE WHEN resolved > 0 THEN 'resolved ' || resolved || ' report(s)' END), '');`,
    `CASE WHEN resolved > 0 THEN 'resolved ' || resolved || ' report(s)' END,
    CASE WHEN reopened > 0 THEN 'reopened ' || reopened || ' report(s)' END), '');`,
  ],
];

export class RestoreReopensReports1796170000017 implements MigrationInterface {
  name = 'RestoreReopensReports1796170000017';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await patchFunction(queryRunner, DECIDE_COMMENT, PATCHES);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await patchFunction(queryRunner, DECIDE_COMMENT, reversed(PATCHES));
  }
}
