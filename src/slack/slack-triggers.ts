/**
 * What a site's Slack channel is told of: a comment held for review, reported, brought to the
 * site's report threshold by a report, or posted by the site's staff.
 */
export const SLACK_TRIGGERS = ['held', 'reported', 'report_threshold', 'staff_post'] as const;
export type SlackTrigger = (typeof SLACK_TRIGGERS)[number];
