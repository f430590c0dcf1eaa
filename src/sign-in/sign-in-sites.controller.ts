import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { SitesDirectory } from '../sites/sites.directory';
import { SignInSiteListView } from './dto/sign-in-site.view';
import { signsIn } from './site-sign-ins.service';

@ApiTags('sign-in')
@Controller('sign-in/sites')
export class SignInSitesController {
  constructor(private readonly sites: SitesDirectory) {}

  /**
   * The sites with an OpenID provider to sign in with. What the console offers before anyone is
   * signed in, first site first. Public, as their keys and names are on every page of theirs (the
   * embed names its site); nothing of their identity is told but that they have sign-in.
   */
  @Get()
  @Access('public')
  async list(): Promise<SignInSiteListView> {
    const items = (await this.sites.all()).filter(signsIn).map(({ key, name }) => ({ key, name }));
    return { items };
  }
}
