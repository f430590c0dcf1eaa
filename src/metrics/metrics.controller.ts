import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, AnyOrigin } from '../auth/access.decorator';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

@ApiTags('service')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /**
   * Prometheus metrics of this instance: HTTP requests by route template, the database pool,
   * the moderation queues and the Node process. Open to anyone unless METRICS_TOKEN is set.
   */
  @Get()
  @Access('public')
  @AnyOrigin()
  @UseGuards(MetricsTokenGuard)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiHeader({
    name: 'X-Metrics-Token',
    required: false,
    description: 'Required, and must equal METRICS_TOKEN, when that is set',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiForbiddenResponse({ description: 'METRICS_TOKEN is set and X-Metrics-Token is missing or wrong' })
  async scrape(@Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    const text = await this.metrics.render();
    res.type(this.metrics.contentType);
    return text;
  }
}
