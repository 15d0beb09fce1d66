import { Module } from '@nestjs/common';
import { CustomAttributesModule } from '../../custom-attributes/custom-attributes.module';
import { AdminModule } from '../admin.module';
import { CustomAttributesRoute } from './custom-attributes.route';

/** `…/custom-attributes`: the admin API over the workspace's custom attributes. Import in ScimGatewayModule. */
@Module({ imports: [AdminModule, CustomAttributesModule], controllers: [CustomAttributesRoute] })
export class CustomAttributesAdminModule {}
