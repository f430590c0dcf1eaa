import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';

export const FREQUENCIES = ['off', 'hourly', 'daily'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export class DigestChoiceDto {
  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES)
  frequency: Frequency;

  /** Where to send it (needed unless off); a new address is confirmed by a link emailed to it. */
  @ValidateIf((dto: DigestChoiceDto) => dto.frequency !== 'off' || dto.address !== undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'address must be an email address' })
  address?: string;
}

export class DigestView {
  @ApiProperty({ enum: FREQUENCIES })
  frequency: Frequency;
  @ApiProperty({ type: String, nullable: true })
  address: string | null;
  /** Whether the address was confirmed: nothing is sent before. */
  confirmed: boolean;
  /** Whether this installation sends email at all (no digest otherwise). */
  available: boolean;
}
