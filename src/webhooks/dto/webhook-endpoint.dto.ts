import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/omittable';
import { IsStorableText } from '../../common/text';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-events';

const URL_DESCRIPTION =
  'Where the events are POSTed: an http(s) URL whose host resolves to public addresses only (checked now and at every delivery; redirects are not followed)';

/** A new endpoint: where to send, and which events. */
export class CreateWebhookDto {
  @ApiProperty({ description: URL_DESCRIPTION, example: 'https://hooks.daily-news.example/comments' })
  @IsString()
  @Length(8, 2000)
  @IsStorableText()
  url: string;

  @ApiPropertyOptional({ description: 'For the admins: what the endpoint is for', maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  @IsStorableText()
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'The events sent to it (one or more)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not name an event twice' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each of events must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events: WebhookEventType[];
}

/** A change of an endpoint: the fields given replace the stored ones. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ description: URL_DESCRIPTION })
  @IsOmittable()
  @IsString()
  @Length(8, 2000)
  @IsStorableText()
  url?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  @IsStorableText()
  description?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not name an event twice' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each of events must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events?: WebhookEventType[];
}
