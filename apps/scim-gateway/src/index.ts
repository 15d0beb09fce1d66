export { ScimGatewayModule } from './scim-gateway.module';
export { GatewayConfig } from './gateway.config';
export { startHttpApp } from './gateway.bootstrap';
export { scimBaseUrl } from './http/scim-base-url';
