import { Module } from '@nestjs/common';
import type { KafkaConfig } from '@axis/config';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import { APP_CONFIG } from '@axis/platform';
import { WebhookCommands } from '@axis/write';
import { AdminModule } from '../admin.module';
import { WebhooksRoute } from './webhooks.route';

/** `/api/v1/workspaces/:slug/webhooks…`: import in ScimGatewayModule. */
@Module({
  imports: [AdminModule],
  controllers: [WebhooksRoute],
  providers: [
    {
      provide: WebhookCommands,
      useFactory: (eventStore: EventStore, config: KafkaConfig) => new WebhookCommands(eventStore, { allowPrivateTargets: config.webhookAllowPrivateTargets() }),
      inject: [EVENT_STORE, APP_CONFIG],
    },
  ],
})
export class WebhooksAdminModule {}
