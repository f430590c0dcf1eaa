import { ApiProperty } from '@nestjs/swagger';
import { LogActorView } from '../journal/log-entry.view';

export class BanView {
  banned: boolean;
  since: Date | null;
  until: Date | null;
  reason: string | null;
}

export class UserNoteView {
  id: string;
  userId: string;
  author: LogActorView;
  body: string;
  createdAt: Date;
}

export class UserNotePageView {
  items: UserNoteView[];
  nextCursor: string | null;
}

/** What a reader is told of their own ban: whether it is in force and until when, not the moderators' reason. */
export class ViewerBanView {
  banned: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: until lifted (or not banned)' })
  until: Date | null;
}

export class ViewerSiteView {
  key: string;
  name: string;
  role: 'moderator' | 'admin';
}

export class ViewerView {
  id: string;
  name: string | null;
  ban: ViewerBanView;
  /** The sites where the caller moderates (their own site's role and those granted); left out for a reader. */
  sites?: ViewerSiteView[];
}
