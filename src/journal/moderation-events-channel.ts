/**
 * How a log entry reaches the moderators' live stream: a row of moderation_events numbered by
 * the transaction that wrote it, and a NOTIFY on this channel, delivered on commit. The stream
 * (live/moderation-events.service.ts) reads them with the same two.
 */
export const MODERATION_CHANNEL = 'moderation_events';
/** The transaction's id as moderation_events.xact takes it. */
export const CURRENT_XACT = `pg_current_xact_id()::text::bigint`;
