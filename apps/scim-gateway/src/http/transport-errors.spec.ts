import { requestTargetOf, transportErrorAnswer } from './transport-errors';

describe('refusals before routing (transport errors)', () => {
  const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

  it.each(['/scim/v2/Users?filter=x', '/workspaces/acme/scim/v2/Users/%FF', '/scim/v2'])('answers a SCIM error body with a product code for %s', (target) => {
    const answer = transportErrorAnswer(target, 'FST_ERR_BAD_URL');
    const body = JSON.parse(answer.body);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('application/scim+json');
    expect(body).toMatchObject({ schemas: [ERROR_URN], status: '400', scimType: 'invalidSyntax', detail: expect.stringMatching(/^SCIM_INVALID_SYNTAX: /) });
    expect(answer.headers).toEqual({ 'Axis-Error-Code': 'SCIM_INVALID_SYNTAX' });
  });

  it('names the limit of a request line and headers over 16 KiB, and where long filters go', () => {
    const answer = transportErrorAnswer('/scim/v2/Users?filter=…', 'HPE_HEADER_OVERFLOW');
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({ status: '431', detail: expect.stringMatching(/^SCIM_PAYLOAD_TOO_LARGE: .*\.search/) });
  });

  it.each([
    ['/api/v1/workspaces/acme/members?q=x', 'HPE_HEADER_OVERFLOW', 431, 'request_too_large'],
    ['/api/v1/workspaces/%ED%A0%80', 'FST_ERR_BAD_URL', 400, 'invalid_request'],
    ['/api/v1/workspaces/acme/members/aaaa', 'FST_ERR_MAX_PARAM_LENGTH', 414, 'uri_too_long'],
    [undefined, 'HPE_INVALID_METHOD', 400, 'invalid_request'],
  ])('answers the admin API format elsewhere (%s, %s)', (target, code, status, error) => {
    const answer = transportErrorAnswer(target, code);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ statusCode: status, error, message: expect.any(String) });
  });

  it('reads the request target from the raw packet, when it is one', () => {
    expect(requestTargetOf(Buffer.from('GET /scim/v2/Users?filter=a HTTP/1.1\r\nHost: x\r\n'))).toBe('/scim/v2/Users?filter=a');
    expect(requestTargetOf(Buffer.from('\u0000garbage'))).toBeUndefined();
    expect(requestTargetOf({ type: 'Buffer', data: [] })).toBeUndefined();
  });
});
