import { ReadBudgetExceeded } from '@axis/read-model';
import { ScimError, scimErrors } from '@axis/scim';

/** Seconds a client is asked to wait after a read was cancelled at its budget. */
export const READ_TIMEOUT_RETRY_AFTER_SECONDS = 5;

/**
 * The PostgreSQL SQLSTATE of a failed query: pg's DatabaseError (our named statements) carries it
 * as `code`, TypeORM's QueryFailedError on its `driverError`. Fastify's `FST_…` codes are not SQLSTATEs.
 */
export function sqlStateOf(exception: unknown): string | undefined {
  for (const candidate of [exception, (exception as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * What the client is told when the database refused a statement because of what it was asked:
 * - `57014` query_canceled (SCIM_READ_TIMEOUT_MS), or a search the SQLite reader threads did not
 *   finish within it (`ReadBudgetExceeded`): 503 with Retry-After. RFC 7644's `tooMany` is a
 *   400 that says the filter itself is too costly, but a read also runs past its budget on a busy
 *   database, and a 4xx would make the IdP give up on that user; a retried expensive read costs at
 *   most the budget again.
 * - `22021` invalid byte sequence, `22P05` untranslatable character, `54000` program limit
 *   exceeded (an index row too big): the value cannot be stored, whatever the edge checks missed —
 *   400 invalidValue, never a 500 an IdP retries for ever.
 * Anything else: undefined (a 500 stays a 500).
 */
export function scimErrorOfDatabaseFailure(exception: unknown): ScimError | undefined {
  if (exception instanceof ReadBudgetExceeded) return readTimedOut();
  switch (sqlStateOf(exception)) {
    case '57014':
      return readTimedOut();
    case '22021':
    case '22P05':
      return scimErrors.invalidValue('The request holds a character the database cannot store');
    case '54000':
      return scimErrors.invalidValue('The request holds a value larger than the database can index');
    default:
      return undefined;
  }
}

function readTimedOut(): ScimError {
  return scimErrors.readTimeout(READ_TIMEOUT_RETRY_AFTER_SECONDS, 'The read took longer than its time budget and was cancelled; retry later, or narrow the filter (userName eq is always fast)');
}
