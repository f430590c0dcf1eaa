import { ApiProperty } from '@nestjs/swagger';
import { FREQUENCIES, Frequency } from './notifications.dto';

export class NotificationSettingsView {
  @ApiProperty({ description: 'Whether this installation sends email at all (when not, the embed hides its panel)' })
  available: boolean;

  @ApiProperty()
  replies: boolean;

  @ApiProperty()
  approved: boolean;

  @ApiProperty()
  rejected: boolean;

  @ApiProperty({ enum: FREQUENCIES })
  frequency: Frequency;

  @ApiProperty({ example: 'en' })
  lang: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The address notifications go to: one the site verified, or one the reader confirmed by a link',
  })
  address: string | null;

  @ApiProperty({
    type: String,
    enum: ['claim', 'link', null],
    nullable: true,
    description: "How the address was verified: the site's login, or a link",
  })
  addressVerifiedBy: 'claim' | 'link' | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'An address given, whose confirmation link was sent and not yet opened',
  })
  pendingAddress: string | null;
}

export class AddressConfirmationView {
  @ApiProperty({
    enum: ['sent', 'verified'],
    description: 'sent: a link to confirm it went there; verified: the site had verified it already',
  })
  status: 'sent' | 'verified';

  @ApiProperty()
  address: string;
}

export class NotificationLinkView {
  @ApiProperty({
    enum: ['confirmed', 'subscribed', 'unsubscribed'],
    description:
      "confirmed: the address is the reader's; subscribed: the unsubscribe link works, nothing changed; unsubscribed: every notification is off",
  })
  status: 'confirmed' | 'subscribed' | 'unsubscribed';
}
