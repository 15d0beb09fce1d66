import { apiErrorOf, errorText } from './errors';

describe('errors in words', () => {
  it('names the product code and keeps the server message', () => {
    const error = apiErrorOf(403, { error: 'csrf', message: 'X-CSRF-Token missing' });
    expect(errorText(error)).toEqual({ text: expect.stringContaining('X-CSRF-Token missing'), code: 'csrf' });
    expect(error.message).toMatch(/did not come from this console/);
  });

  it('joins validation messages (class-validator sends a list)', () => {
    expect(apiErrorOf(400, { error: 'invalid_request', message: ['description must be a string', 'x'] }).detail).toBe('description must be a string; x');
  });

  it('falls back to the HTTP status when the body has no code', () => {
    expect(apiErrorOf(502, '<html>bad gateway</html>').code).toBe('http_502');
  });

  it('calls a failed fetch a network error', () => {
    expect(errorText(new TypeError('Failed to fetch')).code).toBe('network');
  });
});
