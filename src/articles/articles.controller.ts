import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, AuthUser, isModerator } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { SiteRoles } from '../auth/site-roles';
import { ApiSiteHeader, RequestSite } from '../auth/request-site.decorator';
import type { Site } from '../sites/site.entity';
import { UuidParam } from '../common/uuid.pipe';
import { AppError } from '../errors/app-error';
import { ApiProblem } from '../openapi/openapi-document';
import { ArticlePageView, ArticleView } from './article.view';
import { ArticleChanges } from './article-changes.service';
import { ArticlesService } from './articles.service';
import {
  CloseArticleDto,
  CreateArticleDto,
  ListArticlesQueryDto,
  ResolveArticleDto,
  UpdateArticleDto,
} from './dto/article.dto';

@ApiTags('articles')
@ApiSiteHeader()
@Controller('articles')
export class ArticlesController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly changes: ArticleChanges,
    private readonly roles: SiteRoles,
  ) {}

  /**
   * Creates an article's thread. Its url is stored in its normalized form (the settings'
   * articleUrlQueryParams and articleUrlTrailingSlash say which query parameters and trailing
   * slashes count); a url known in any of its forms, or an externalId already known, is a 409.
   */
  @Post()
  @Access('moderator')
  @ApiBearerAuth()
  @ApiProblem(409, 'CONFLICT: an article with this url or externalId exists')
  async create(
    @Body() dto: CreateArticleDto,
    @CurrentUser() user: AuthUser,
    @RequestSite() site: Site,
  ): Promise<ArticleView> {
    const { article, settings } = await this.changes.create(site.id, dto, user);
    return ArticleView.of(article, settings, true);
  }

  /**
   * How an embed finds its thread on a first read: the article at `url` (200), or, when the
   * normalized url lies under one of the settings' articleAutoCreatePrefixes, a new one with
   * `title` (201); 404 NOT_FOUND otherwise. Anyone may call it; creations (not lookups) are
   * limited per client address (rateLimits.createArticle) and per hour (articleCreationsPerHour).
   */
  @Post('resolve')
  @Access('public')
  @ApiOkResponse({ type: ArticleView, description: 'The article that exists at this url' })
  @ApiCreatedResponse({ type: ArticleView, description: 'Created now' })
  @ApiProblem(404, 'NOT_FOUND: no article at url, and no articleAutoCreatePrefixes prefix of it')
  async resolve(
    @Body() dto: ResolveArticleDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestSite() site: Site,
    @CurrentUser() user?: AuthUser,
  ): Promise<ArticleView> {
    const { article, settings, created } = await this.changes.findOrCreateByUrl(site.id, dto, request.ip);
    reply.code(created ? 201 : 200);
    return ArticleView.of(article, settings, isModerator(user, site.id));
  }

  /**
   * With `url`: anyone, at most one item (how an embed finds its thread), found by any form of its url.
   * Without: moderators page through all articles, newest first.
   */
  @Get()
  @Access('public')
  @ApiProblem(403, 'FORBIDDEN: listing without url needs the moderator role')
  async list(
    @Query() query: ListArticlesQueryDto,
    @RequestSite() site: Site,
    @CurrentUser() user?: AuthUser,
  ): Promise<ArticlePageView> {
    const moderator = isModerator(user, site.id);
    if (query.url !== undefined) {
      // Anonymous embeds read a replica when there are some; signed-in callers the primary.
      const { articles, settings } = await this.articles.findByUrl(site.id, query.url, { replica: !user });
      return { items: articles.map((a) => ArticleView.of(a, settings, moderator)) };
    }
    if (!user) throw AppError.unauthenticated('Listing articles needs a moderator token (or give ?url=)');
    // A public route: the guard did not read the roles granted on other sites than the token's.
    if (!moderator && !isModerator({ ...user, sites: await this.roles.of(user) }, site.id))
      throw AppError.forbidden('Listing articles needs the moderator role (or give ?url=)');
    const { items, nextCursor, settings } = await this.articles.list(site.id, query);
    return { items: items.map((a) => ArticleView.of(a, settings, true)), nextCursor };
  }

  /** The article, with its counts (moderators see them per status). */
  @Get(':id')
  @Access('public')
  async findOne(@Param('id', UuidParam()) id: string, @CurrentUser() user?: AuthUser): Promise<ArticleView> {
    const { article, settings } = await this.articles.findById(id, { replica: !user });
    return ArticleView.of(article, settings, isModerator(user, article.siteId));
  }

  /** Changes the title, moderation mode, scheduled close or disclaimer; each change is logged. */
  @Patch(':id')
  @Access('moderator')
  @ApiBearerAuth()
  async update(
    @Param('id', UuidParam()) id: string,
    @Body() dto: UpdateArticleDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ArticleView> {
    const { article, settings } = await this.changes.update(id, dto, user);
    return ArticleView.of(article, settings, true);
  }

  /** Closing a closed article changes nothing. */
  @Post(':id/close')
  @HttpCode(200)
  @Access('moderator')
  @ApiBearerAuth()
  async close(
    @Param('id', UuidParam()) id: string,
    @Body() dto: CloseArticleDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ArticleView> {
    const { article, settings } = await this.changes.close(id, dto.message, user);
    return ArticleView.of(article, settings, true);
  }

  /** Reopens a closed article to comments. */
  @Post(':id/reopen')
  @HttpCode(200)
  @Access('moderator')
  @ApiBearerAuth()
  async reopen(@Param('id', UuidParam()) id: string, @CurrentUser() user: AuthUser): Promise<ArticleView> {
    const { article, settings } = await this.changes.reopen(id, user);
    return ArticleView.of(article, settings, true);
  }
}
