import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { IsStorableText } from '../../common/text';
import { GRANTED_ROLES, GrantedRole } from '../../sites/site-member.entity';
import { SITE_KEY_PATTERN } from '../../sites/site.entity';

/** A role on the site for someone whom a site's login vouches for (that site's `sub`). */
export class GrantRoleDto {
  @ApiProperty({ description: "The key of the site whose login signs the user's tokens", example: 'default' })
  @IsString()
  @Matches(SITE_KEY_PATTERN, { message: 'userSite must be a site key' })
  userSite: string;

  @ApiProperty({ description: "The user's id at that login: its tokens' sub" })
  @IsString()
  @Length(1, 200)
  @IsStorableText()
  sub: string;

  @ApiProperty({ enum: GRANTED_ROLES })
  @IsIn(GRANTED_ROLES)
  role: GrantedRole;
}
