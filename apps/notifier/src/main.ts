import 'reflect-metadata';
import { runConsumerProcess } from '@axis/platform';
import { NotifierConfig } from './notifier.config';
import { NotifierModule } from './notifier.module';

// A failure the reactors did not catch must not take the notifier down: every reactor resumes from its checkpoint.
runConsumerProcess({ service: 'notifier', configClass: NotifierConfig, module: NotifierModule, surviveUnhandledRejections: true });
