import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class DeliveryLogQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50, description: 'How many of the newest messages' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
