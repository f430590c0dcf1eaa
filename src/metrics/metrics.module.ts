import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

/** GET /api/metrics for Prometheus, with a registry of this application instance's own. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetrics, MetricsTokenGuard],
})
export class MetricsModule {}
