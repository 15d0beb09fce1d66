import { HttpConfig } from '@axis/config';

/**
 * The same environment as the services: the stores (DATABASE_URL, EVENT_STORE_URL, …) and what
 * the printed URLs are built from (PUBLIC_URL, SCIM_BASE_DOMAIN, DEFAULT_WORKSPACE).
 */
export class CliConfig extends HttpConfig {}
