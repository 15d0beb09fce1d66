import { HttpConfig } from '@axis/config';

/** Everything the three apps need, read once for the one process. */
export class AllInOneConfig extends HttpConfig {}
