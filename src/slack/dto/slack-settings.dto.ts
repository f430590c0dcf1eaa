import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsStorableText } from '../../common/text';
import { SLACK_TRIGGERS, SlackTrigger } from '../slack-triggers';

/** A site's Slack alerts as set: the URL is write-only (left out, the stored one is kept). */
export class PutSlackSettingsDto {
  @ApiPropertyOptional({
    description:
      "The channel's incoming-webhook URL (https://hooks.slack.com/services/…). Required the first time; left out, the stored one is kept. Never read back.",
    example: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @IsStorableText()
  url?: string;

  @ApiProperty({ enum: SLACK_TRIGGERS, isArray: true, description: 'What the channel is told of' })
  @IsArray()
  @ArrayUnique()
  @IsIn(SLACK_TRIGGERS, { each: true })
  triggers: SlackTrigger[];
}
