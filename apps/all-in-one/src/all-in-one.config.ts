import { HttpConfig } from '@axis/config';
import { IsIn } from 'class-validator';

/** Everything the three apps need, read once for the one process. */
export class AllInOneConfig extends HttpConfig {
  /**
   * `true` (default): the projections and reactors run on a worker thread, on the second core.
   * `false`: on the main thread with the requests (one thread, less memory). In-memory stores
   * (`:memory:`) cannot be shared between threads and always keep them on the main thread.
   */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  CONSUMER_THREAD = 'true';

  consumersOnWorkerThread(): boolean {
    return this.CONSUMER_THREAD === 'true' && this.eventStoreUrl() !== ':memory:' && this.readModelUrl() !== ':memory:';
  }
}
