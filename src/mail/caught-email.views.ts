import { ApiProperty } from '@nestjs/swagger';

export class MailStatusView {
  /** Whether this installation sends email at all (over SMTP, or kept for admins). */
  sending: boolean;
  /** Whether emails are kept for admins to read (GET /api/admin/emails) instead of sent. */
  catching: boolean;
}

/** A kept email, as listed. */
export class CaughtEmailSummaryView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  to: string;
  subject: string;
  /** The key of the site the email was sent for. */
  site: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class CaughtEmailPageView {
  items: CaughtEmailSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page (older emails)' })
  nextCursor: string | null;
}

/** A kept email, whole: its plain text, its HTML, and the headers it was sent with. */
export class CaughtEmailView extends CaughtEmailSummaryView {
  /** The Message-ID it was sent with (its delivery's id). */
  messageId: string;
  text: string;
  html: string;
  /** Such as List-Unsubscribe. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers: Record<string, string>;
}
