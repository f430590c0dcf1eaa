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
