import { ApiProperty } from '@nestjs/swagger';
import { fingerprint } from '../identity/site-identity';
import { SLACK_TRIGGERS, SlackTrigger } from './slack-triggers';

/** A site's Slack alerts as an admin reads them back: the URL only by its host and fingerprint. */
export class SlackSettingsView {
  /** Whether a URL is set (without one, nothing is sent). */
  configured: boolean;
  /** The URL's host, the rest masked: `https://hooks.slack.com/…`. */
  urlHint: string | null;
  /** SHA-256 of the URL, first 12 hex digits: enough to tell which one is set, not to use it. */
  urlFingerprint: string | null;
  @ApiProperty({ enum: SLACK_TRIGGERS, isArray: true })
  triggers: SlackTrigger[];
  updatedBy: string | null;
  updatedAt: Date | null;

  static none(): SlackSettingsView {
    return { configured: false, urlHint: null, urlFingerprint: null, triggers: [], updatedBy: null, updatedAt: null };
  }

  static of(row: SlackSettingsRow): SlackSettingsView {
    return {
      configured: true,
      urlHint: maskedUrl(row.url),
      urlFingerprint: fingerprint(row.url),
      triggers: SLACK_TRIGGERS.filter((t) => row.triggers.includes(t)),
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  }
}

export interface SlackSettingsRow {
  site_id: number;
  url: string;
  triggers: string[];
  updated_by: string | null;
  updated_at: Date;
}

/** Slack's URL is its own secret (whoever has it posts to the channel): only its origin is shown. */
export const maskedUrl = (url: string): string => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
};
