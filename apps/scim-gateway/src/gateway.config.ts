import { HttpConfig } from '@axis/config';

export class GatewayConfig extends HttpConfig {}
