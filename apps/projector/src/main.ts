import 'reflect-metadata';
import { runConsumerProcess } from '@axis/platform';
import { ProjectorConfig } from './projector.config';
import { ProjectorModule } from './projector.module';

runConsumerProcess({ service: 'projector', configClass: ProjectorConfig, module: ProjectorModule });
