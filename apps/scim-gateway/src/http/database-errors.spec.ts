import { ReadBudgetExceeded } from '@axis/read-model';
import { QueryFailedError } from 'typeorm';
import { toJsonApiError } from '../json-api/json-api-exception.filter';
import { scimErrorOfDatabaseFailure, sqlStateOf } from './database-errors';

/** What TypeORM throws for a failed query: the pg error (with its SQLSTATE) as `driverError`. */
function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error(`pg error ${code}`), { code }));
}
/** What pg throws for our named statements (queryRows): a DatabaseError with `code`. */
function pgError(code: string): Error {
  return Object.assign(new Error(`pg error ${code}`), { code, severity: 'ERROR' });
}

describe('database failures as client errors (#23)', () => {
  it.each([queryFailed, pgError])('a cancelled read (57014) is a 503 with Retry-After, never a 500 (%p)', (make) => {
    const error = scimErrorOfDatabaseFailure(make('57014'));
    expect(error).toMatchObject({ status: 503, code: 'SCIM_READ_TIMEOUT', retryAfterSeconds: 5 });
    expect(error!.toBody().detail).toMatch(/^SCIM_READ_TIMEOUT: /);
    expect(toJsonApiError(make('57014'))).toMatchObject({ statusCode: 503, error: 'read_timeout' });
  });

  it('a search the SQLite reader threads did not finish within the budget is the same 503', () => {
    expect(scimErrorOfDatabaseFailure(new ReadBudgetExceeded(5_000))).toMatchObject({ status: 503, code: 'SCIM_READ_TIMEOUT', retryAfterSeconds: 5 });
  });

  it.each(['22021', '22P05', '54000'])('%s (a value the database cannot store or index) is 400 invalidValue with the product code', (code) => {
    for (const exception of [queryFailed(code), pgError(code)]) {
      expect(scimErrorOfDatabaseFailure(exception)).toMatchObject({ status: 400, scimType: 'invalidValue', code: 'SCIM_INVALID_VALUE' });
      expect(toJsonApiError(exception)).toMatchObject({ statusCode: 400, error: 'invalid_value' });
    }
  });

  it('leaves other failures alone: they stay 500s', () => {
    expect(scimErrorOfDatabaseFailure(queryFailed('23505'))).toBeUndefined();
    expect(scimErrorOfDatabaseFailure(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }))).toBeUndefined();
    expect(scimErrorOfDatabaseFailure(new Error('boom'))).toBeUndefined();
    expect(sqlStateOf(null)).toBeUndefined();
    expect(toJsonApiError(queryFailed('40001'))).toMatchObject({ statusCode: 500 });
  });
});
